"""The admin's page of Murmurations registrations: every profile's status, the index's word for
it and the last error, for network admins only, and the two actions (register again, ask the
index), which go through the services: checked and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from audit.models import AuditEvent
from members.services import organisation_update
from murmurations.models import Registration
from murmurations.services import registrations_retry, registrations_sync
from murmurations.tasks import check_statuses, sync_registrations
from patio.models import OutboxMessage
from tests.conftest import queued
from tests.factories import OrganisationFactory
from tests.murmurations.fake_index import running_index

pytestmark = pytest.mark.django_db
LIST = "/admin/murmurations/registration/"


@pytest.fixture
def rows(network_admin):
    """Two co-ops registered through the services: one the index took, one it kept failing."""
    took = OrganisationFactory(name="Took Co-op", slug="took")
    failing = OrganisationFactory(name="Failing Co-op", slug="failing")
    with (
        override_settings(MURMURATIONS_MAX_ATTEMPTS=1),
        running_index(200, 503) as index,
    ):
        for coop in (took, failing):
            organisation_update(actor=network_admin, organisation=coop, data={"city": "Varna"})
        for args in queued(sync_registrations):
            registrations_sync(ids=args[0])
    OutboxMessage.objects.update(relayed_at=OutboxMessage.objects.first().created_at)
    by_name = {row.label: row for row in Registration.objects.all()}
    return index.url, by_name["Took Co-op"], by_name["Failing Co-op"]


def test_a_network_admin_sees_each_profiles_status_and_error(client, network_admin, rows):
    _url, took, failing = rows
    client.force_login(network_admin)
    listing = client.get(LIST).content.decode()
    assert "Took Co-op" in listing and "Failing Co-op" in listing
    assert "Registered" in listing and "received" in listing
    assert "Failed: gave up for now" in listing and "HTTP 503" in listing

    page = client.get(f"{LIST}{failing.pk}/change/")
    assert page.status_code == 200
    assert failing.profile_url in page.content.decode()
    assert failing.node_id in client.get(f"{LIST}{took.pk}/change/").content.decode()


@pytest.mark.parametrize("who", ["visitor", "member", "coop_admin"])
def test_nobody_else_sees_the_registrations(client, who, request, rows):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who).user)
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_registrations_are_never_edited_in_the_admin(client, network_admin, rows):
    _url, took, _failing = rows
    client.force_login(network_admin)
    response = client.post(f"{LIST}{took.pk}/change/", {"status": "removed"})
    assert response.status_code == 403
    assert client.get(f"{LIST}{took.pk}/delete/").status_code == 403


def test_register_again_asks_through_the_service_and_is_audited(client, network_admin, rows):
    url, _took, failing = rows
    client.force_login(network_admin)
    with override_settings(MURMURATIONS_INDEX_URL=url):
        response = client.post(
            LIST, {"action": "retry", "_selected_action": [failing.pk]}, follow=True
        )
    assert "1 profile queued again." in response.content.decode()
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (Registration.Status.PENDING, 0)
    assert queued(sync_registrations) == [[[failing.pk]]]
    event = AuditEvent.objects.get(action="murmurations.retry")
    assert event.before == {"status": "failed", "attempts": 1}


def test_ask_the_index_queues_a_status_check_of_the_registered_ones(client, network_admin, rows):
    url, took, failing = rows
    client.force_login(network_admin)
    with override_settings(MURMURATIONS_INDEX_URL=url):
        response = client.post(
            LIST, {"action": "ask_index", "_selected_action": [took.pk, failing.pk]}, follow=True
        )
    assert "The index will be asked about 1 profile." in response.content.decode()
    assert queued(check_statuses) == [[[took.pk]]]


def test_the_actions_say_so_when_no_index_is_set(client, network_admin, rows):
    _url, _took, failing = rows
    client.force_login(network_admin)
    response = client.post(LIST, {"action": "retry", "_selected_action": [failing.pk]}, follow=True)
    assert "No Murmurations index is set" in response.content.decode()
    failing.refresh_from_db()
    assert failing.status == Registration.Status.FAILED


def test_only_a_network_admin_may_ask_again(coop_admin, rows):
    url, _took, failing = rows
    with override_settings(MURMURATIONS_INDEX_URL=url), pytest.raises(PermissionDenied):
        registrations_retry(actor=coop_admin.user, registrations=[failing])
    assert not AuditEvent.objects.filter(action="murmurations.retry").exists()
