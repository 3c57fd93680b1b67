"""Tasks end: a task that kills its worker every time is run TASK_MAX_DELIVERIES times, not
forever, then listed in the admin's "Failed tasks"; staff with the permission may retry it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from patio.celery import app
from patio.failed_tasks import failed_tasks_retry
from patio.models import FailedTask, OutboxMessage
from tests.factories import UserFactory
from tests.worker_fixtures import celery_processes, wait_until

CHANGELIST = reverse("admin:patio_failedtask_changelist")


def _runs(log) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def _retry(client, failed: FailedTask):
    return client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]})


@pytest.mark.django_db(transaction=True)
def test_a_task_that_kills_its_worker_runs_three_times_then_is_failed_and_can_be_retried(
    tmp_path, client
):
    log = tmp_path / "runs.log"
    with celery_processes(PATIO_TEST_RUNS_LOG=str(log), TASK_MAX_DELIVERIES="3") as start:
        start("worker", pool="prefork")
        app.send_task("tests.kill_the_worker", args=["first"])

        wait_until(FailedTask.objects.exists, timeout=60)
        failed = FailedTask.objects.get()
        assert (failed.task_name, failed.args, failed.attempts) == (
            "tests.kill_the_worker",
            ["first"],
            3,
        )
        assert "lost" in failed.error
        assert _runs(log) == ["first"] * 3

        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        response = _retry(client, failed)
        assert response.status_code == 302
        # Queued again as a new message: it runs (and kills its worker) once more.
        wait_until(lambda: len(_runs(log)) == 4, timeout=30)
        failed.refresh_from_db()
        assert failed.retried_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_past_its_retries_is_listed_as_failed():
    with celery_processes() as start:
        start("worker")
        app.send_task("tests.always_fails", args=["the digest"])
        wait_until(FailedTask.objects.exists, timeout=60)

    failed = FailedTask.objects.get()
    assert (failed.task_name, failed.args, failed.attempts) == (
        "tests.always_fails",
        ["the digest"],
        2,
    )
    assert failed.error == "OSError: the mail server refused the digest"


def _staff(*permissions: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="patio", codename__in=permissions)
    )
    return user


def _failed() -> FailedTask:
    now = timezone.now()
    return FailedTask.objects.create(
        task_id="abc",
        task_name="patio.ping",
        error="WorkerLostError",
        attempts=3,
        first_seen_at=now,
        last_seen_at=now,
    )


# Who may retry a failed task from the admin: the row is queued again, or left as it was.
WHO = {
    "visitor": (lambda: None, False),
    "member": (lambda: UserFactory(), False),
    "staff who may only view": (lambda: _staff("view_failedtask"), False),
    "staff who may retry": (lambda: _staff("view_failedtask", "retry_failedtask"), True),
    "superuser": (lambda: UserFactory(is_staff=True, is_superuser=True), True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_who_may_retry_a_failed_task(who, client, django_capture_on_commit_callbacks):
    make_user, may = WHO[who]
    failed = _failed()
    if (user := make_user()) is not None:
        client.force_login(user)

    with django_capture_on_commit_callbacks():
        _retry(client, failed)

    failed.refresh_from_db()
    assert (failed.retried_at is not None) is may
    # Queued through the outbox, in the transaction that marked it retried.
    queued = list(OutboxMessage.objects.values_list("task", flat=True))
    assert queued == (["patio.ping"] if may else [])
    if may:  # a second click queues nothing more
        with django_capture_on_commit_callbacks():
            _retry(client, failed)
        assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_the_retry_service_checks_the_permission_itself(who):
    make_user, may = WHO[who]
    _failed()
    actor = make_user() or AnonymousUser()
    if may:
        assert failed_tasks_retry(actor=actor, failed_tasks=FailedTask.objects.all()) == 1
    else:
        with pytest.raises(PermissionDenied):
            failed_tasks_retry(actor=actor, failed_tasks=FailedTask.objects.all())
    assert FailedTask.objects.filter(retried_at__isnull=False).count() == (1 if may else 0)
    assert OutboxMessage.objects.count() == (1 if may else 0)
