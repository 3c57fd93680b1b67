"""The Django admin escapes nothing: rows whose changes the services audit (fund settings and
rates, circle memberships, decisions, consent responses) are read-only there, even for a
superuser. A POST to a change form is refused and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin

from assemblies.models import Correction, Decision
from circles.models import CircleMembership
from fund.models import FundSettings, HourlyRate
from patio.admin import ReadOnlyAdmin
from patio.models import OutboxMessage
from policies.models import ConsentResponse
from tests.assemblies.factories import DecisionFactory
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory, UserFactory
from tests.fund.factories import HourlyRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(email="root@patio.coop", is_staff=True, is_superuser=True))
    return client


def _fund_settings():
    return FundSettings.load(), {"approvals_needed": "1"}, "approvals_needed"


def _hourly_rate():
    return HourlyRateFactory(currency="EUR"), {"currency": "EUR", "rate": "1.00"}, "rate"


def _membership():
    membership = CircleMembershipFactory(
        circle=CircleFactory(slug="finance", name="Finance"),
        person=PersonFactory(),
        start_date=datetime.date(2024, 1, 1),
    )
    body = {
        "person": membership.person_id,
        "circle": membership.circle_id,
        "role": CircleMembership.Role.COORDINATOR,
        "start_date": "2024-01-01",
    }
    return membership, body, "role"


def _decision():
    decision = DecisionFactory()
    return decision, {"text": "Changed behind the record", "outcome": "rejected"}, "text"


def _outbox_message():
    message = OutboxMessage.objects.create(task="intake.tasks.send_help_request_ack", args=[1])
    return message, {"task": "intake.tasks.send_help_request_reply", "attempts": "0"}, "task"


ROWS = {
    "fund settings": _fund_settings,
    "hourly rate": _hourly_rate,
    "circle membership": _membership,
    "decision": _decision,
    "outbox message": _outbox_message,
}


@pytest.mark.parametrize("make", ROWS.values(), ids=ROWS.keys())
def test_a_superusers_post_to_the_change_form_changes_nothing(superuser_client, make):
    obj, body, field = make()
    before = getattr(obj, field)
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
    response = superuser_client.post(url, body)
    assert response.status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, field) == before
    add = superuser_client.post(f"/admin/{opts.app_label}/{opts.model_name}/add/", body)
    assert add.status_code == 403
    delete = superuser_client.post(url.replace("/change/", "/delete/"), {"post": "yes"})
    assert delete.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert superuser_client.get(url).status_code == 200, "still shown, read-only"


@pytest.mark.parametrize(
    "model",
    [
        FundSettings,
        HourlyRate,
        CircleMembership,
        Decision,
        ConsentResponse,
        Correction,
        OutboxMessage,
    ],
)
def test_rows_the_services_audit_use_the_shared_read_only_admin(model):
    assert isinstance(admin.site._registry[model], ReadOnlyAdmin)


def test_a_circle_page_in_the_admin_shows_memberships_without_editing_them(superuser_client):
    membership = CircleMembershipFactory(
        circle=CircleFactory(slug="finance", name="Finance"),
        person=PersonFactory(),
        start_date=datetime.date(2024, 1, 1),
    )
    inline = admin.site._registry[type(membership.circle)].inlines[0]
    assert inline.model is CircleMembership
    page = superuser_client.get(f"/admin/circles/circle/{membership.circle_id}/change/")
    assert page.status_code == 200
    assert membership.person.display_name in page.content.decode()
    assert 'name="memberships-0-role"' not in page.content.decode()
