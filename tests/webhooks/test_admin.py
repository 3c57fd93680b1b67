"""The admin's webhook pages: each subscription's status with its recent deliveries, each
delivery's attempts, and the redeliver and resume actions, which go through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.conftest import queued
from tests.factories import UserFactory
from webhooks.models import Delivery, Event, Subscription
from webhooks.tasks import send_deliveries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, network_admin):
    client.force_login(network_admin)
    return client


@pytest.fixture
def logged(bot):
    subscription, _secret = bot.subscribe("http://127.0.0.1:9/hooks", ["organisation.updated"])
    event = Event.objects.create(
        kind="organisation.updated", subject_type="members.organisation", subject_id=1, payload={}
    )
    now = timezone.now()
    delivery = Delivery.objects.create(
        event=event,
        subscription=subscription,
        status=Delivery.Status.FAILED,
        attempt_count=1,
        taken_at=now,
        settled_at=now,
        last_response_status=503,
    )
    delivery.attempts.create(at=now, response_status=503, response_excerpt="Unavailable")
    return subscription, delivery


def test_a_network_admin_sees_a_subscriptions_status_and_deliveries_but_never_its_secret(
    staff_client, logged
):
    subscription, delivery = logged
    listing = staff_client.get("/admin/webhooks/subscription/")
    page = staff_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/")
    attempts = staff_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")

    assert listing.status_code == page.status_code == attempts.status_code == 200
    assert subscription.url in listing.content.decode()
    assert "organisation.updated" in page.content.decode()
    assert "Unavailable" in attempts.content.decode()
    for response in (listing, page, attempts):
        assert subscription.secret not in response.content.decode()


def test_the_admin_redelivers_through_the_service(staff_client, logged):
    _subscription, delivery = logged

    response = staff_client.post(
        "/admin/webhooks/delivery/",
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.settled_at is None
    assert queued(send_deliveries) == [[[delivery.pk]]]
    assert AuditEvent.objects.filter(action="webhooks.redeliver").count() == 1


def test_the_admin_resumes_a_paused_subscription(staff_client, logged):
    subscription, _delivery = logged
    Subscription.objects.filter(pk=subscription.pk).update(
        status=Subscription.Status.PAUSED, paused_at=timezone.now()
    )

    staff_client.post(
        "/admin/webhooks/subscription/",
        {"action": "resume", "_selected_action": [subscription.pk]},
    )

    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert AuditEvent.objects.filter(action="webhooks.resume").count() == 1


def test_people_who_are_not_network_admins_have_no_webhook_pages(client, member):
    client.force_login(member.user)
    assert client.get("/admin/webhooks/subscription/").status_code == 302
    outsider = UserFactory(email="staffless@patio.coop")
    client.force_login(outsider)
    assert client.get("/admin/webhooks/delivery/").status_code == 302
