"""Registering profiles with the index, against a real index on loopback (tests/murmurations/
fake_index.py): driven by the co-ops' own services in their transaction, one attempt at a time,
retried with backoff, and never for a write that rolled back or when no index is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from members.models import Organisation
from members.services import organisation_create, organisation_update
from murmurations.models import Registration
from murmurations.services import (
    profiles_reconcile,
    registrations_check,
    registrations_dispatch_due,
    registrations_sync,
)
from murmurations.tasks import sync_registrations
from patio.models import OutboxMessage
from tests.conftest import queued
from tests.factories import OrganisationFactory
from tests.murmurations.fake_index import node_id, running_index

pytestmark = pytest.mark.django_db
Status = Registration.Status


def _profile_url(organisation: Organisation) -> str:
    return f"{settings.SITE_URL}/murmurations/coops/{organisation.pk}.json"


def _add(actor, name: str = "Kooperativa Lipa", **data) -> Organisation:
    return organisation_create(
        actor=actor,
        name=name,
        kind=Organisation.Kind.WORKER_COOP,
        country="SI",
        short_description="A worker co-op in Ljubljana.",
        data={"status": Organisation.Status.MEMBER, **data},
    )


def _sync(now=None) -> Registration:
    """What the worker does with the messages the writes left (the outbox relays them)."""
    for args in queued(sync_registrations):
        registrations_sync(ids=args[0], now=now)
    OutboxMessage.objects.update(relayed_at=timezone.now())
    return Registration.objects.get()


def test_a_new_public_coop_is_registered_by_its_profile_url(network_admin):
    with running_index() as index:
        coop = _add(network_admin)
        row = Registration.objects.get()
        assert (row.kind, row.object_id, row.status) == ("coops", coop.pk, Status.PENDING)
        assert queued(sync_registrations) == [[[row.pk]]]
        assert index.calls == []  # nothing before the write commits

        row = _sync()

    assert [(c.method, c.path, c.body) for c in index.calls] == [
        ("POST", "/v2/nodes", {"profile_url": _profile_url(coop)})
    ]
    assert row.status == Status.REGISTERED
    assert row.node_id == node_id(_profile_url(coop))
    assert row.index_status == "received"
    assert row.label == "Kooperativa Lipa"
    assert row.index_url == index.url
    assert row.last_registered_at is not None and row.settled_at is not None
    assert (row.attempts, row.last_error) == (0, "")


def test_an_applicant_has_nothing_to_register(network_admin):
    with running_index() as index:
        organisation_create(
            actor=network_admin,
            name="Applying Co-op",
            kind=Organisation.Kind.WORKER_COOP,
            country="SI",
            short_description="Not yet a member.",
        )
        assert registrations_dispatch_due() == 0
    assert not Registration.objects.exists()
    assert queued(sync_registrations) == []
    assert index.calls == []


def test_a_change_registers_the_profile_again(network_admin):
    with running_index() as index:
        coop = _add(network_admin)
        first = _sync()
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Maribor"})
        row = _sync()
    assert [c.method for c in index.calls] == ["POST", "POST"]
    assert row.version == first.version + 1
    assert row.status == Status.REGISTERED
    assert row.last_registered_at > first.last_registered_at


@pytest.mark.parametrize("status", [Organisation.Status.LEFT, Organisation.Status.SUSPENDED])
def test_a_coop_that_leaves_or_is_suspended_is_removed_from_the_index(network_admin, status):
    with running_index() as index:
        coop = _add(network_admin)
        _sync()
        assert node_id(_profile_url(coop)) in index.nodes
        organisation_update(actor=network_admin, organisation=coop, data={"status": status})
        row = _sync()
    assert [(c.method, c.path) for c in index.calls] == [
        ("POST", "/v2/nodes"),
        ("DELETE", f"/v2/nodes/{node_id(_profile_url(coop))}"),
    ]
    assert index.nodes == {}
    assert row.status == Status.REMOVED
    assert row.index_status == "deleted"
    assert row.removed_at is not None and not row.listed


def test_a_coop_that_comes_back_is_registered_again(network_admin):
    with running_index() as index:
        coop = _add(network_admin)
        _sync()
        organisation_update(
            actor=network_admin, organisation=coop, data={"status": Organisation.Status.SUSPENDED}
        )
        _sync()
        organisation_update(
            actor=network_admin, organisation=coop, data={"status": Organisation.Status.MEMBER}
        )
        row = _sync()
    assert [c.method for c in index.calls] == ["POST", "DELETE", "POST"]
    assert row.status == Status.REGISTERED and row.listed


def test_a_change_to_a_coop_never_registered_and_still_private_sends_nothing(network_admin):
    with running_index() as index:
        coop = OrganisationFactory(status=Organisation.Status.SUSPENDED)
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Koper"})
    assert not Registration.objects.exists()
    assert index.calls == []


def test_a_failing_index_is_tried_again_later_and_the_row_says_why(network_admin):
    with (
        override_settings(MURMURATIONS_RETRY_FIRST_SECONDS=60),
        running_index(503, 500) as index,
    ):
        _add(network_admin)
        start = timezone.now()
        row = _sync(now=start)
        assert row.status == Status.RETRYING
        assert row.attempts == 1
        assert row.last_error.startswith("HTTP 503")
        assert row.next_attempt_at == start + timedelta(seconds=60)
        assert row.settled_at is None and row.taken_at is None

        # Not due yet: beat queues nothing.
        assert registrations_dispatch_due(now=start + timedelta(seconds=30)) == 0
        later = start + timedelta(seconds=61)
        assert registrations_dispatch_due(now=later) == 1
        row = _sync(now=later)
        assert (row.status, row.attempts) == (Status.RETRYING, 2)
        assert row.next_attempt_at == later + timedelta(seconds=120)  # twice as long

        latest = later + timedelta(seconds=121)
        assert registrations_dispatch_due(now=latest) == 1
        row = _sync(now=latest)

    assert [c.method for c in index.calls] == ["POST", "POST", "POST"]
    assert row.status == Status.REGISTERED
    assert (row.attempts, row.last_error, row.next_attempt_at) == (0, "", None)


def test_after_the_last_attempt_the_row_is_failed_and_waits(network_admin):
    with (
        override_settings(MURMURATIONS_MAX_ATTEMPTS=2, MURMURATIONS_RETRY_FIRST_SECONDS=0),
        running_index(then=500) as index,
    ):
        _add(network_admin)
        row = _sync()
        assert row.status == Status.RETRYING
        registrations_dispatch_due()
        row = _sync()
        assert (row.status, row.attempts) == (Status.FAILED, 2)
        assert row.last_error.startswith("HTTP 500: Database Error")
        assert registrations_dispatch_due() == 0
    assert len(index.calls) == 2


def test_an_unreachable_index_is_an_error_on_the_row(network_admin):
    with running_index() as index:
        pass  # stopped: nothing listens on its port any more
    with override_settings(MURMURATIONS_INDEX_URL=index.url):
        _add(network_admin)
        row = _sync()
    assert row.status == Status.RETRYING
    assert "Connection refused" in row.last_error


def test_a_write_that_rolls_back_asks_for_nothing(network_admin, coop):
    with running_index() as index:
        with pytest.raises(RuntimeError), transaction.atomic():
            organisation_update(actor=network_admin, organisation=coop, data={"city": "Bled"})
            assert Registration.objects.exists()
            raise RuntimeError("the rest of the write failed")
        assert registrations_dispatch_due() == 0
    assert not Registration.objects.exists()
    assert queued(sync_registrations) == []
    assert index.calls == []


def test_nothing_is_asked_or_sent_when_no_index_is_set(network_admin):
    assert settings.MURMURATIONS_INDEX_URL == ""
    with running_index() as index, override_settings(MURMURATIONS_INDEX_URL=""):
        coop = _add(network_admin)
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Bled"})
        assert profiles_reconcile() == 0
        assert registrations_dispatch_due() == 0
        assert registrations_check() == 0
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.filter(task__startswith="murmurations.").exists()
    assert index.calls == []


def test_the_schedule_has_no_murmurations_task_when_no_index_is_set():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert not {task for task in tasks if task.startswith("murmurations.")}


def test_reconciling_catches_up_with_writes_outside_the_services(network_admin):
    with running_index() as index:
        kept = _add(network_admin, "Kept Co-op")
        quiet = _add(network_admin, "Quiet Co-op")
        for args in queued(sync_registrations):
            registrations_sync(ids=args[0])
        # Changed behind the services' back (the Django admin, a shell): no event, no request.
        Organisation.objects.filter(pk=quiet.pk).update(status=Organisation.Status.SUSPENDED)
        late = OrganisationFactory(name="Late Co-op")
        assert len(index.calls) == 2

        assert profiles_reconcile() == 2
        for args in queued(sync_registrations):
            registrations_sync(ids=args[0])
        assert profiles_reconcile() == 0  # nothing left to catch up

    rows = {row.object_id: row for row in Registration.objects.all()}
    assert rows[kept.pk].status == rows[late.pk].status == Status.REGISTERED
    assert rows[quiet.pk].status == Status.REMOVED
    assert sorted(c.method for c in index.calls) == ["DELETE", "POST", "POST", "POST"]


def test_a_registration_made_with_another_index_is_made_again_with_this_one(network_admin):
    with running_index():
        _add(network_admin)
        _sync()
    with running_index() as other:
        assert profiles_reconcile() == 1
        row = _sync()
    assert [c.method for c in other.calls] == ["POST"]
    assert row.index_url == other.url


def test_the_index_status_is_read_back_with_its_reasons(network_admin):
    with running_index() as index:
        coop = _add(network_admin)
        start = timezone.now()
        _sync(now=start)
        node = node_id(_profile_url(coop))
        # The index needs a moment to read the profile: not asked yet.
        assert registrations_check(now=start) == 0
        index.nodes[node] = "posted"
        assert registrations_check(now=start + timedelta(minutes=1)) == 1
        row = Registration.objects.get()
        assert (row.index_status, row.last_error) == ("posted", "")
        # A final status is not asked again by beat; an admin may ask for it.
        assert registrations_check(now=start + timedelta(minutes=2)) == 0
        index.invalid[node] = ["organizations_schema-v1.0.0.(root): name is required"]
        assert registrations_check(ids=[row.pk]) == 1
    row.refresh_from_db()
    assert row.index_status == "validation_failed"
    assert row.last_error == "Invalid: organizations_schema-v1.0.0.(root): name is required"
    assert row.status == Status.REGISTERED  # what we asked for went; the index refused it


def test_a_node_the_index_lost_is_registered_again(network_admin):
    with running_index() as index:
        _add(network_admin)
        start = timezone.now()
        _sync(now=start)
        index.nodes.clear()
        later = start + timedelta(minutes=1)
        assert registrations_check(now=later) == 0
        row = _sync(now=later)
    assert [c.method for c in index.calls] == ["POST", "GET", "POST"]
    assert row.status == Status.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_a_change_during_an_attempt_is_attempted_again_with_what_is_true_now(network_admin):
    """The co-op leaves while its registration's POST is in flight: the attempt finds it asked
    for again and goes again, now removing it."""
    with running_index() as index:
        coop = _add(network_admin)
        left = []

        def leave_meanwhile(call) -> None:
            if call.method == "POST" and not left:
                left.append(call)
                organisation_update(
                    actor=network_admin,
                    organisation=Organisation.objects.get(pk=coop.pk),
                    data={"status": Organisation.Status.LEFT},
                )
                connection.close()  # the server thread's own connection

        index.during = leave_meanwhile
        row = Registration.objects.get()
        registrations_sync(ids=[row.pk])

    row.refresh_from_db()
    assert [c.method for c in index.calls] == ["POST", "DELETE"]
    assert row.status == Status.REMOVED
