"""The PostgreSQL connection dropped in the middle of a request: the caller gets a 503 with
Retry-After (problem JSON from the API, a plain page for a browser), nothing of the request is
saved, and sending it again does the work once.

The drop is real: a hook between two writes of `match_run_request` (after it saves the run,
before it moves the opportunity and writes the audit record) has another connection terminate
this request's PostgreSQL backend."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from django.db.models.signals import post_save

from audit.models import AuditEvent
from projects.models import MatchRun, Opportunity
from projects.services.teams import project_from_opportunity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def project(staffing, coordinator):
    return project_from_opportunity(actor=coordinator.user, opportunity=staffing[0])


def _terminate(pid: int) -> None:
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
        autocommit=True,
    ) as other:
        # Waits (up to 5 s) until the backend is gone, so the next write meets a dead connection.
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@contextlib.contextmanager
def connection_dropped_once_saved(model) -> Iterator[None]:
    """The first time a `model` row is saved, this connection's backend is terminated."""
    dropped = []

    def drop(sender, **kwargs):
        if not dropped:
            dropped.append(True)
            _terminate(connection.connection.info.backend_pid)

    post_save.connect(drop, sender=model, weak=False)
    try:
        yield
    finally:
        post_save.disconnect(drop, sender=model)
        # What request_finished does in production: a connection that failed is not reused.
        connection.close()
    assert dropped, "the hook never ran: the drop was not tested"


def _nothing_saved(project) -> bool:
    opportunity = Opportunity.objects.get(pk=project.opportunity_id)
    return (
        not MatchRun.objects.exists()
        and opportunity.status == Opportunity.Status.OPEN
        and not AuditEvent.objects.filter(action="match_run.request").exists()
    )


def test_the_api_answers_503_problem_and_saves_nothing_then_a_retry_works(
    api_client, coordinator, project
):
    api_client.force_login(coordinator.user)
    url = f"/api/v1/projects/{project.pk}/match/"
    key = {"HTTP_IDEMPOTENCY_KEY": "match-once"}

    with connection_dropped_once_saved(MatchRun):
        response = api_client.post(url, {}, format="json", **key)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert int(response["Retry-After"]) > 0
    assert response.json()["type"].endswith("/database-unavailable")
    assert _nothing_saved(project)

    again = api_client.post(url, {}, format="json", **key)
    assert again.status_code == 202
    assert MatchRun.objects.count() == 1


def test_a_page_answers_a_plain_503_and_saves_nothing(client, coordinator, project):
    client.force_login(coordinator.user)

    with connection_dropped_once_saved(MatchRun):
        response = client.post(f"/projects/{project.pk}/matching/run/", {"mode": "all"})

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "try again" in response.content.decode()
    assert _nothing_saved(project)
