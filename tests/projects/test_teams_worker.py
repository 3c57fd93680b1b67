"""Team matching run by a real Celery worker on the real Redis, end to end."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from patio.models import FailedTask
from projects.models import MatchRun, Project, TeamMembership
from projects.services.staffing import invitations_send, match_run_request
from projects.services.teams import project_from_opportunity
from projects.tasks import run_matching, send_team_invitations
from tests.worker_fixtures import celery_processes, wait_until


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


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE NOT l.granted AND a.datname = current_database()"
        )
        return bool(cursor.fetchone()[0])


def _pool_children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_fails_and_a_new_request_proposes_the_team_once(
    project, coordinator, settings
):
    settings.MATCH_RUN_HEARTBEAT_TIMEOUT = 2
    with celery_processes() as start:
        run = match_run_request(actor=coordinator.user, project=project)  # queued, no worker yet
        with transaction.atomic():
            # Storing a proposal takes the project row, which this test holds: the worker
            # matches, beats, then waits there, and is killed in the middle of its run.
            Project.objects.select_for_update().get(pk=project.pk)
            worker = start("worker", pool="prefork")
            wait_until(_someone_waits_for_a_lock, timeout=60)
            assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.RUNNING
            # While it beats, asking again is the same run: two clicks make one run.
            assert match_run_request(actor=coordinator.user, project=project).pk == run.pk
            # The process running the task dies (as under the OOM killer); the worker puts the
            # message back, and a new process of its pool takes it again.
            (child,) = _pool_children(worker.pid)
            os.kill(child, signal.SIGKILL)

        timeout = timedelta(seconds=settings.MATCH_RUN_HEARTBEAT_TIMEOUT)
        wait_until(lambda: MatchRun.objects.get(pk=run.pk).heartbeat_at < timezone.now() - timeout)
        assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.RUNNING
        again = match_run_request(actor=coordinator.user, project=project)

        lost = MatchRun.objects.get(pk=run.pk)
        assert again.pk != run.pk
        assert (lost.status, lost.failure) == (MatchRun.Status.FAILED, MatchRun.Failure.LOST)
        wait_until(_done(again), timeout=30)

    proposed = TeamMembership.objects.filter(project=project)
    assert proposed.count() == 3
    assert set(proposed.values_list("match_run_id", flat=True)) == {again.pk}
    assert len(set(proposed.values_list("person_id", flat=True))) == 3
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_run_past_its_soft_time_limit_is_failed_with_its_reason(
    project, coordinator, monkeypatch
):
    # A task's time limits travel in its message, from the sender's task options: a short one.
    monkeypatch.setattr(run_matching, "soft_time_limit", 2)
    monkeypatch.setattr(run_matching, "_exec_options", None)
    with celery_processes() as start:
        run = match_run_request(actor=coordinator.user, project=project)
        with transaction.atomic():
            # The store step waits for the project this test holds, past the soft limit.
            Project.objects.select_for_update().get(pk=project.pk)
            start("worker", pool="prefork")
            wait_until(
                lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.FAILED,
                timeout=60,
            )
        wait_until(FailedTask.objects.exists)

    run.refresh_from_db()
    assert run.failure == MatchRun.Failure.TIME_LIMIT
    assert "SoftTimeLimitExceeded" in run.error
    assert not TeamMembership.objects.filter(project=project).exists()
    assert FailedTask.objects.get().task_name == "projects.tasks.run_matching"
