"""Team matching run by a real Celery worker on the real Redis, end to end."""

from __future__ import annotations

import pytest
from django.core import mail

from projects.models import MatchRun, TeamMembership
from projects.services.staffing import invitations_send, match_run_request
from projects.services.teams import project_from_opportunity
from projects.tasks import run_matching, send_team_invitations
from tests.worker_fixtures import wait_until


@pytest.fixture
def project(staffing, coordinator):
    return project_from_opportunity(actor=coordinator.user, opportunity=staffing[0])


def _done(run):
    return lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE


def test_the_worker_runs_the_match_and_mails_the_invitations_once(
    celery_worker, project, coordinator
):
    run = match_run_request(actor=coordinator.user, project=project)
    wait_until(_done(run))

    run.refresh_from_db()
    assert run.progress == 100 and run.started_at and run.finished_at
    assert TeamMembership.objects.filter(status="proposed").count() == 3

    invitations_send(actor=coordinator.user, project=project)
    wait_until(lambda: len(mail.outbox) == 3)
    # Delivering the task again (a retry, a second worker) mails nobody twice.
    assert send_team_invitations.delay(project.pk).get(timeout=10) == 0
    assert len(mail.outbox) == 3


def test_a_second_delivery_of_the_same_run_does_nothing(celery_worker, project, coordinator):
    run = match_run_request(actor=coordinator.user, project=project)
    wait_until(_done(run))
    proposed = list(TeamMembership.objects.filter(status="proposed").values_list("pk", flat=True))

    assert run_matching.delay(run.pk).get(timeout=10) == "skipped"
    assert list(TeamMembership.objects.filter(status="proposed").values_list("pk", flat=True)) == (
        proposed
    )


def test_a_re_run_by_the_worker_replaces_the_proposal(celery_worker, project, coordinator):
    first = match_run_request(actor=coordinator.user, project=project)
    wait_until(_done(first))
    before = set(
        TeamMembership.objects.filter(status="proposed").values_list("person_id", "role_id")
    )

    second = match_run_request(actor=coordinator.user, project=project)
    wait_until(_done(second))

    after = TeamMembership.objects.filter(status="proposed")
    assert set(after.values_list("person_id", "role_id")) == before
    assert set(after.values_list("match_run_id", flat=True)) == {second.pk}
