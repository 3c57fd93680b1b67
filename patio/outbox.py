"""The transactional outbox: every Celery task a write asks for is a row written in the write's own
transaction, then handed to the broker, so a saved write never loses its task and a broker
outage never turns a saved write into an error.

- `enqueue(task, *args, **kwargs)` writes an `OutboxMessage` in the caller's transaction and, once
  it commits, relays that row at once. A rollback leaves no row and queues nothing.
- `relay(ids)` claims the rows with a conditional UPDATE (`patio.delivery.take` on `claimed_at`),
  publishes each with a short, bounded broker retry, and marks it relayed. When the broker
  refuses, the row is given back, pending, with its error: the relay never raises, so the request
  whose commit ran it answers as if the broker had been up.
- `sweep()` (beat, every 30 s; `manage.py outbox_sweep`) relays the rows still pending some
  seconds after they were written, frees claims whose relay died with its process (a claim older
  than OUTBOX_CLAIM_SECONDS), and prunes relayed rows after OUTBOX_RETENTION_DAYS.

Delivery is at least once. A relay killed between publishing and marking leaves a row that a
later sweep publishes again, and a slow relay's claim may be freed while it is still publishing.
That is harmless because every task dispatched this way is idempotent: it re-reads its rows and
claims its work with a conditional UPDATE (`patio.delivery`), so a second message finds the work
claimed and does nothing. A task that is not safe to run twice must not be enqueued here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ParamSpec

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from prometheus_client.core import GaugeMetricFamily, Metric

from patio import health, metrics
from patio.celery import app as celery_app
from patio.delivery import Outbox, take
from patio.models import OutboxMessage

if TYPE_CHECKING:
    from celery.contrib.django.task import DjangoTask

logger = logging.getLogger(__name__)

_P = ParamSpec("_P")

# A relay's claim older than OUTBOX_CLAIM_SECONDS died with its process: the next sweep takes it.
OUTBOX = Outbox(
    OutboxMessage, taken="claimed_at", settled="relayed_at", reclaim_setting="OUTBOX_CLAIM_SECONDS"
)
# One quick second try, then the row waits for the sweeper: a request must not hang on the
# broker (its connect and socket timeouts are in CELERY_BROKER_TRANSPORT_OPTIONS).
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Rows a sweep claims at a time: a killed sweeper leaves at most this many to wait for their
# claim to expire.
SWEEP_BATCH = 100


def enqueue(task: DjangoTask[_P, Any], /, *args: _P.args, **kwargs: _P.kwargs) -> OutboxMessage:
    """Ask for `task(*args, **kwargs)` to run once the current transaction commits; the arguments
    must be JSON (ids, not objects). The task must be idempotent (see the module's docstring)."""
    return enqueue_message(task.name, args=list(args), kwargs=kwargs)


def enqueue_message(
    task: str, *, args: list[Any] | None = None, kwargs: dict[str, Any] | None = None
) -> OutboxMessage:
    """`enqueue()` for a task known by its name (as `patio.delivery.dispatch` knows it)."""
    message = OutboxMessage.objects.create(task=task, args=args or [], kwargs=kwargs or {})
    pk = message.pk

    def relay_after_commit() -> None:
        relay([pk])

    # robust: whatever happens in the relay, the write is committed and its answer stands.
    transaction.on_commit(relay_after_commit, robust=True)
    return message


@dataclass(frozen=True)
class Relayed:
    sent: int
    failed: bool = False


def relay(ids: Iterable[int]) -> Relayed:
    """Publish these pending rows, each at most once per call; never raises. A row another relay
    holds, or already relayed, is left alone. On the first broker failure the rest are given
    back, pending, and `failed` is set. Call it outside a transaction (as on_commit does), so
    the claim and each mark commit at once."""
    try:
        claimed = take(OUTBOX, where=Q(pk__in=list(ids), relayed_at__isnull=True))
        messages = list(OutboxMessage.objects.filter(pk__in=claimed).order_by("pk"))
    except DatabaseError:
        logger.warning("could not claim outbox messages to relay", exc_info=True)
        return Relayed(0, failed=True)
    sent = 0
    for index, message in enumerate(messages):
        try:
            celery_app.send_task(
                message.task,
                args=message.args,
                kwargs=message.kwargs,
                retry=True,
                retry_policy=PUBLISH_RETRY,
                # Nobody waits on these results; and subscribing to one would wait on a result
                # store that is down with the broker.
                ignore_result=True,
            )
        except Exception as exc:
            logger.warning("the broker refused outbox message %s (%s)", message.pk, message.task)
            _give_back(message, [m.pk for m in messages[index + 1 :]], error=exc)
            return Relayed(sent, failed=True)
        try:
            # The arguments go: they may carry a secret, and the broker has them now.
            OutboxMessage.objects.filter(pk=message.pk).update(
                relayed_at=timezone.now(), attempts=F("attempts") + 1, args=[], kwargs={}
            )
        except DatabaseError:
            # Published, not marked: its claim expires and a sweep publishes it again, which the
            # task's own claim makes harmless.
            logger.warning("could not mark outbox message %s relayed", message.pk, exc_info=True)
        sent += 1
    return Relayed(sent)


def _give_back(message: OutboxMessage, untried: list[int], *, error: BaseException) -> None:
    try:
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_at=None,
            attempts=F("attempts") + 1,
            # The class and message of a broker error name no secret (kombu hides passwords).
            last_error=f"{type(error).__name__}: {error}"[:300],
        )
        if untried:
            OutboxMessage.objects.filter(pk__in=untried).update(claimed_at=None)
    except DatabaseError:
        # The claims expire by themselves (OUTBOX_CLAIM_SECONDS).
        logger.warning("could not give outbox messages back", exc_info=True)


def pending() -> Q:
    return Q(relayed_at__isnull=True)


def sweep(*, now: datetime | None = None) -> int:
    """Relay what is still pending a little after it was written, free dead relays' claims and
    prune old relayed rows; return how many messages were published. Stops at the first broker
    failure (the next sweep tries again). Safe to run twice at once: each row goes to one of
    them, and a row published twice only makes its idempotent task find its work done."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        OUTBOX.takeable(now),
        created_at__lt=now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS),
    ).order_by("pk")
    published = 0
    after = 0
    while True:
        ids = list(due.filter(pk__gt=after).values_list("pk", flat=True)[:SWEEP_BATCH])
        if not ids:
            break
        result = relay(ids)
        published += result.sent
        if result.failed:
            break
        after = ids[-1]
    prune(now=now)
    return published


def prune(*, now: datetime | None = None) -> int:
    """Delete the rows relayed more than OUTBOX_RETENTION_DAYS ago; return how many."""
    now = now or timezone.now()
    kept_from = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(relayed_at__lt=kept_from).delete()
    return deleted


@dataclass(frozen=True)
class Backlog:
    waiting: int  # pending rows older than OUTBOX_BACKLOG_SECONDS
    pending: int
    oldest_seconds: int


def backlog(*, now: datetime | None = None) -> Backlog:
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.OUTBOX_BACKLOG_SECONDS)
    rows = OutboxMessage.objects.filter(pending())
    oldest = rows.aggregate(oldest=Min("created_at"))["oldest"]
    return Backlog(
        waiting=rows.filter(created_at__lt=limit).count(),
        pending=rows.count(),
        oldest_seconds=max(0, int((now - oldest).total_seconds())) if oldest else 0,
    )


@health.register("outbox")
def backlog_check(done: dict[str, health.Result]) -> health.Result:
    """Fails when a task has waited longer than OUTBOX_BACKLOG_SECONDS to reach the broker."""
    if not done["database"].ok:
        return health.Result(False, _("not read: the database is unreachable"))
    try:
        figures = backlog()
    except DatabaseError as exc:
        return health.Result(False, _("unreachable (%(error)s)") % {"error": type(exc).__name__})
    if figures.waiting:
        return health.Result(
            False,
            ngettext(
                "%(count)d task waiting for the broker for over %(seconds)d s",
                "%(count)d tasks waiting for the broker for over %(seconds)d s",
                figures.waiting,
            )
            % {"count": figures.waiting, "seconds": settings.OUTBOX_BACKLOG_SECONDS},
        )
    return health.Result(
        True,
        ngettext("%(count)d task pending", "%(count)d tasks pending", figures.pending)
        % {"count": figures.pending},
    )


class BacklogCollector:
    """The outbox backlog, read from the database at scrape time."""

    def collect(self) -> Iterable[Metric]:
        try:
            figures = backlog()
        except DatabaseError:
            logger.warning("could not read the outbox backlog", exc_info=True)
            return
        yield GaugeMetricFamily(
            "patio_outbox_pending",
            "Tasks written with a write and not yet handed to the broker.",
            value=figures.pending,
        )
        yield GaugeMetricFamily(
            "patio_outbox_oldest_pending_seconds",
            "Age of the oldest task not yet handed to the broker (0 when none waits).",
            value=figures.oldest_seconds,
        )


metrics.register(BacklogCollector())
