"""From a co-op's change to the index, with the real worker, the real broker and a real index on
loopback: created → registered, changed → registered again, left → removed, and a failing index
tried again until the row says it is registered."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from members.models import Organisation
from members.services import organisation_create, organisation_update
from murmurations.models import Registration
from murmurations.services import registrations_dispatch_due
from tests.murmurations.fake_index import node_id, running_index
from tests.worker_fixtures import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = Registration.Status


def _status() -> str | None:
    row = Registration.objects.first()
    return None if row is None else row.status


def test_a_coop_is_registered_changed_and_removed_by_the_worker(celery_worker, network_admin):
    with running_index() as index:
        coop = organisation_create(
            actor=network_admin,
            name="Zadruga Sunce",
            kind=Organisation.Kind.WORKER_COOP,
            country="RS",
            short_description="A worker co-op in Novi Sad.",
            data={"status": Organisation.Status.MEMBER},
        )
        wait_until(lambda: _status() == Status.REGISTERED)
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Novi Sad"})
        wait_until(lambda: len(index.sent("POST")) == 2 and _status() == Status.REGISTERED)
        organisation_update(
            actor=network_admin, organisation=coop, data={"status": Organisation.Status.LEFT}
        )
        wait_until(lambda: _status() == Status.REMOVED)

    profile_url = f"{settings.SITE_URL}/murmurations/coops/{coop.pk}.json"
    assert [(c.method, c.path) for c in index.calls] == [
        ("POST", "/v2/nodes"),
        ("POST", "/v2/nodes"),
        ("DELETE", f"/v2/nodes/{node_id(profile_url)}"),
    ]
    assert {c.body["profile_url"] for c in index.sent("POST")} == {profile_url}


def test_a_failing_index_is_retried_until_it_answers(celery_worker, network_admin):
    with (
        override_settings(MURMURATIONS_RETRY_FIRST_SECONDS=0),
        running_index(500, 502) as index,
    ):
        organisation_create(
            actor=network_admin,
            name="Zadruga Javor",
            kind=Organisation.Kind.WORKER_COOP,
            country="RS",
            short_description="A worker co-op in Beograd.",
            data={"status": Organisation.Status.MEMBER},
        )
        wait_until(lambda: _status() == Status.RETRYING)
        row = Registration.objects.get()
        assert row.attempts >= 1 and row.last_error.startswith("HTTP 50")

        def registered() -> bool:
            registrations_dispatch_due()  # what beat does every minute
            return _status() == Status.REGISTERED

        wait_until(registered)
    row = Registration.objects.get()
    assert len(index.sent("POST")) == 3
    assert (row.attempts, row.last_error) == (0, "")
