"""Tasks end: bounded redeliveries, and the list of tasks that will not run again by themselves.

Every task is `acks_late` with `reject_on_worker_lost`, so a task whose worker dies while running
it (killed, out of memory, past its hard time limit in a crash loop) is delivered again. That is
what makes the work survive a lost worker, and what would redeliver a task that kills its worker
forever. So `patio.celery.PatioTask` counts the deliveries of each message (a `TaskDelivery` row,
written only when the broker says the message is redelivered: the first delivery costs nothing)
and after TASK_MAX_DELIVERIES does not run it again: it records a `FailedTask` instead.
A task that raises once its Celery retries are spent is recorded there too (`task_failure`).

The admin lists them as "Failed tasks"; staff with `patio.retry_failedtask` may queue one again
(`failed_tasks_retry`), as a new task message, through the outbox (patio.outbox).
"""

from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from patio import outbox
from patio.models import FailedTask, TaskDelivery

if TYPE_CHECKING:
    from celery import Task

    from accounts.models import AnyUser

log = logging.getLogger(__name__)

RETRY_PERMISSION = "patio.retry_failedtask"


def _key(task: Task[Any, Any]) -> str:
    return f"{task.request.id}:{task.request.retries or 0}"


def delivery_allowed(task: Task[Any, Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Count this delivery of the task's message; False once it is past TASK_MAX_DELIVERIES,
    and then the task is recorded as failed (the caller must not run it)."""
    if not (task.request.delivery_info or {}).get("redelivered"):
        return True
    key, now = _key(task), timezone.now()
    if not TaskDelivery.objects.filter(key=key).update(deliveries=F("deliveries") + 1):
        try:
            with transaction.atomic():
                # The first delivery left no row: this one is the second.
                TaskDelivery.objects.create(key=key, deliveries=2, first_at=now)
        except IntegrityError:  # another delivery of the same message made it meanwhile
            TaskDelivery.objects.filter(key=key).update(deliveries=F("deliveries") + 1)
    delivery = TaskDelivery.objects.get(key=key)
    if delivery.deliveries <= settings.TASK_MAX_DELIVERIES:
        return True
    failed_task_record(
        task_id=str(task.request.id),
        task_name=task.name,
        args=args,
        kwargs=kwargs,
        error=_("Its worker was lost each of the %(n)d times it ran.")
        % {"n": settings.TASK_MAX_DELIVERIES},
        attempts=settings.TASK_MAX_DELIVERIES,
        first_seen_at=delivery.first_at,
    )
    delivery.delete()
    return False


def delivery_finished(task: Task[Any, Any]) -> None:
    """The task returned or raised: its message will not come back, nor need counting."""
    if (task.request.delivery_info or {}).get("redelivered"):
        TaskDelivery.objects.filter(key=_key(task)).delete()


def failed_task_record(
    *,
    task_id: str,
    task_name: str,
    args: tuple[Any, ...] | list[Any],
    kwargs: dict[str, Any],
    error: str,
    attempts: int,
    first_seen_at: Any = None,
) -> FailedTask:
    """Add the task to the failed ones, or update it when it is there already."""
    now = timezone.now()
    failed, created = FailedTask.objects.get_or_create(
        task_id=task_id,
        defaults={
            "task_name": task_name,
            "args": list(args),
            "kwargs": dict(kwargs),
            "error": error,
            "attempts": attempts,
            "first_seen_at": first_seen_at or now,
            "last_seen_at": now,
        },
    )
    if not created:
        failed.error, failed.attempts, failed.last_seen_at = error, attempts, now
        failed.save(update_fields=["error", "attempts", "last_seen_at"])
    log.warning("task %s %s failed for good: %s", task_name, task_id, error.splitlines()[0])
    return failed


def on_task_failure(
    sender: Task[Any, Any] | None = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    **extra: Any,
) -> None:
    """`task_failure` receiver: a task raised and Celery will not retry it."""
    if sender is None or task_id is None:
        return
    error = "".join(traceback.format_exception_only(exception)) if exception else ""
    try:
        failed_task_record(
            task_id=task_id,
            task_name=sender.name,
            args=args or (),
            kwargs=kwargs or {},
            error=error.strip() or _("The task failed."),
            attempts=(sender.request.retries or 0) + 1,
        )
    except Exception:  # the database may be what failed; the worker's log keeps the error
        log.exception("could not record the failed task %s %s", sender.name, task_id)


def failed_tasks_retry(*, actor: AnyUser, failed_tasks: QuerySet[FailedTask]) -> int:
    """Queue the chosen failed tasks again, each once (a second click finds them retried), as
    new messages through the outbox, in the transaction that marks them retried: a retry is
    never marked without its message, nor queued twice. Returns how many were queued."""
    if not (actor.is_staff and actor.has_perm(RETRY_PERMISSION)):
        raise PermissionDenied(_("You may not retry failed tasks."))
    with transaction.atomic():
        chosen = list(
            failed_tasks.select_for_update().filter(retried_at__isnull=True).order_by("pk")
        )
        FailedTask.objects.filter(pk__in=[f.pk for f in chosen]).update(
            retried_at=timezone.now(), retried_by=actor
        )
        for failed in chosen:
            outbox.enqueue_message(failed.task_name, args=failed.args, kwargs=failed.kwargs)
    return len(chosen)
