"""Claim-then-send and batch dispatch: the one way the platform sends an email per row (an
invitation, a reminder, a notification) at least once and never twice on purpose.

An `Outbox` names the timestamp columns of a model that record a row's sending:

- `taken` is set by the conditional UPDATE that claims the row for one sender. Whoever set it,
  and only they, sends. A failed send sets it back to NULL.
- `settled` is set once the row is done: its email was handed to the mail server, or its sender
  found that it no longer applies (a revoked invitation, someone who turned the emails off).
  A settled row is never taken again.
- `queued`, when the model has one, is when a dispatcher claimed the row for sending. A row queued
  long ago and still not taken was lost with its task message; `stale()` finds it for re-queueing.

A row taken and not settled after `DELIVERY_RECLAIM_SECONDS` was abandoned: its worker was killed
between the claim and the mark. It may be taken again, so its email goes at least once. Beat's
`requeue_unsent_sends` (every 5 minutes) queues those again, and the rows due that long whose
task message died with a worker, through the `Sender` each app registers for its outbox. The
reclaim time is far longer than a claim is ever held by a live sender (a few emails, each bounded
by EMAIL_TIMEOUT), so a working sender is never overtaken.

The contract every helper here keeps (`tests/patio/test_delivery.py` proves it on PostgreSQL):

1. **One sender at a time per row.** A row reaches `send` only in the call whose UPDATE took it:
   from NULL, or from an abandoned claim. Two deliveries of one task message, two workers at once,
   a re-queue or a retry: the others find it taken and skip it. The UPDATE tests the claim on the
   row itself, so PostgreSQL re-checks it on the committed version when two claims race (a filter
   through a join alone would not be re-checked: Django's `update()` puts those in a subquery).
2. **A failed send is released.** When `send` raises, the row and the rest of its group, taken but
   not yet sent, go back to free, and the exception propagates: the task's retry sends them.
3. **Each email is marked on its own.** A row is settled right after its `send` returns, so a
   worker killed at any point leaves at most the one row it was sending unsettled. That row is
   taken again after the reclaim time and sent: at least once. If the kill fell in the instant
   between the mail server's acceptance and the mark, the email goes twice; both carry the same
   stable Message-ID (`patio.emails.message_id`), so mail programs and people can tell it is a
   repeat.
4. **Claims commit before emails go out.** Call the senders outside a transaction (a Celery task
   runs in autocommit), so each claim is committed before its email is handed to the mail server.
5. **Dispatch enqueues after commit.** `dispatch()` queues the send tasks only once the transaction
   holding the claims commits; a rollback queues nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

M = TypeVar("M", bound=models.Model)

# Ids per queued send task: small enough that a retried task repeats little, large enough that
# the broker is not the bottleneck.
SEND_BATCH = 100
# A queued row still not taken this long after it was queued is taken to have lost its message.
STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Outbox(Generic[M]):
    """The columns of `model` that record its rows' sending (see the module's docstring).

    `reclaim_setting` names the setting that holds, in seconds, how long a claim lasts before it
    counts as abandoned."""

    model: type[M]
    taken: str
    settled: str
    queued: str | None = None
    reclaim_setting: str = "DELIVERY_RECLAIM_SECONDS"

    def __post_init__(self) -> None:
        for name in (self.taken, self.settled, self.queued):
            if name is not None and not isinstance(self._field(name), models.DateTimeField):
                raise TypeError(f"{self.model.__name__}.{name} is not a timestamp column")

    def _field(self, name: str) -> models.Field[object, object]:
        field = self.model._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{self.model.__name__}.{name} is not a column")
        return field

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.taken}"

    def reclaim_after(self) -> timedelta:
        return timedelta(seconds=getattr(settings, self.reclaim_setting))

    def free(self) -> Q:
        """Rows nobody has taken or settled."""
        return Q(**{f"{self.taken}__isnull": True, f"{self.settled}__isnull": True})

    def abandoned(self, now: datetime | None = None) -> Q:
        """Rows taken longer ago than the reclaim time and still not settled."""
        cutoff = (now or timezone.now()) - self.reclaim_after()
        return Q(**{f"{self.taken}__lt": cutoff, f"{self.settled}__isnull": True})

    def takeable(self, now: datetime | None = None) -> Q:
        return self.free() | self.abandoned(now)

    def sql_names(self) -> tuple[str, str, str, str]:
        """The table, its primary key, the `taken` and the `settled` columns, quoted for SQL."""
        quote = connection.ops.quote_name
        meta = self.model._meta
        taken, settled = self._field(self.taken), self._field(self.settled)
        return (
            quote(meta.db_table),
            quote(meta.pk.column or meta.pk.attname),
            quote(taken.column or taken.attname),
            quote(settled.column or settled.attname),
        )


def take(outbox: Outbox[M], *, where: Q, now: datetime | None = None) -> list[int]:
    """Claim every takeable row (free, or abandoned) matching `where` with one conditional UPDATE;
    return the ids this call claimed, in id order. The claim's time is `now`.

    Concurrency: a row is returned by exactly one of any number of concurrent calls; a row someone
    else holds is left out. The claim is committed with the caller's transaction (at once, in
    autocommit)."""
    now = now or timezone.now()
    candidates = (
        outbox.model._default_manager.filter(where)
        .filter(outbox.takeable(now))
        .order_by()
        .values("pk")
    )
    subquery, params = candidates.query.sql_with_params()
    table, pk, taken, settled = outbox.sql_names()
    stamp = connection.ops.adapt_datetimefield_value(now)
    cutoff = connection.ops.adapt_datetimefield_value(now - outbox.reclaim_after())
    with connection.cursor() as cursor:
        cursor.execute(
            # Names come from the model, every value is a parameter. The claim's test on the row
            # itself, not only in the subquery, is what PostgreSQL re-checks when claims race.
            f"UPDATE {table} SET {taken} = %s "  # noqa: S608
            f"WHERE {settled} IS NULL AND ({taken} IS NULL OR {taken} < %s) "
            f"AND {pk} IN ({subquery}) RETURNING {pk}",
            [stamp, cutoff, *params],
        )
        return sorted(row[0] for row in cursor.fetchall())


def release(outbox: Outbox[M], ids: Iterable[int], *, taken_at: datetime | None = None) -> None:
    """Free rows this caller took and did not send, so a later call (the retry) can take them.

    With `taken_at` (the time of this caller's claim), a row someone else has re-taken since is
    left alone: releasing another's claim would let a row go twice."""
    ids = list(ids)
    if ids:
        rows = outbox.model._default_manager.filter(pk__in=ids)
        if taken_at is not None:
            rows = rows.filter(**{outbox.taken: taken_at})
        with transaction.atomic():
            rows.update(**{outbox.taken: None})


@contextmanager
def releasing(
    outbox: Outbox[M], ids: Sequence[int], *, taken_at: datetime | None = None
) -> Iterator[None]:
    """Run the block; if it raises, release `ids` and let the exception through."""
    try:
        yield
    except Exception:
        release(outbox, ids, taken_at=taken_at)
        raise


def settle(outbox: Outbox[M], ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Record that these taken rows are done: sent, or skipped for good."""
    ids = list(ids)
    if ids:
        outbox.model._default_manager.filter(pk__in=ids).update(
            **{outbox.settled: now or timezone.now()}
        )


def deliver(
    outbox: Outbox[M],
    *,
    ids: Iterable[int],
    send: Callable[[M], int],
    where: Q | None = None,
    rows: QuerySet[M] | None = None,
    take_at_once: int = 1,
) -> int:
    """Send each of these rows once; return the sum of what `send` returned.

    Rows still takeable are read from `rows` (the model's manager by default: pass one with the
    `select_related` that `send` needs), then claimed `take_at_once` at a time with `take()`, each
    claim also requiring `where` (the row still applies). `send(row)` says how many emails went out
    for it: 0 means the row no longer applies and is skipped. Either way the row is settled as
    soon as `send` returns.

    Concurrency: one sender per row under duplicate or concurrent calls; a `send` that raises
    releases its row and the rest of its group and the exception propagates; a killed worker
    leaves at most one row unsettled, which is taken again after the reclaim time. Call it outside
    a transaction, so each claim commits before its email goes out."""
    where = where if where is not None else Q()
    base = rows if rows is not None else outbox.model._default_manager.all()
    candidates = list(base.filter(pk__in=list(ids)).filter(where, outbox.takeable()).order_by("pk"))
    total = 0
    for start in range(0, len(candidates), take_at_once):
        group = candidates[start : start + take_at_once]
        claimed_at = timezone.now()
        taken = set(take(outbox, where=where & Q(pk__in=[row.pk for row in group]), now=claimed_at))
        pending = [row for row in group if row.pk in taken]
        while pending:
            with releasing(outbox, [row.pk for row in pending], taken_at=claimed_at):
                total += send(pending[0])
            settle(outbox, [pending.pop(0).pk])
    return total


def deliver_together(outbox: Outbox[M], *, where: Q, send: Callable[[list[int]], int]) -> int:
    """Claim every takeable row matching `where` at once and send them as one (a digest); return
    what `send(ids)` returned, 0 when there was nothing to take.

    Concurrency: the same as `deliver()`, with the whole set as the group: one sender has it, a
    `send` that raises releases all of it, and the set is settled once `send` returns."""
    claimed_at = timezone.now()
    ids = take(outbox, where=where, now=claimed_at)
    if not ids:
        return 0
    with releasing(outbox, ids, taken_at=claimed_at):
        count = send(ids)
    settle(outbox, ids)
    return count


def stale(
    outbox: Outbox[M],
    *,
    now: datetime | None = None,
    after: timedelta = STALE_AFTER,
    where: Q | None = None,
) -> list[int]:
    """The rows queued more than `after` before `now` that no sender has taken (and that match
    `where`, what still applies): their task message was lost, so a dispatcher queues them again.

    Concurrency: re-queueing early or twice is harmless, since `take()` lets one sender have a row.
    Rows taken and never settled are not stale but abandoned: `Sender`s queue those again, once
    their claim is older than the reclaim time."""
    if outbox.queued is None:
        raise ValueError(f"{outbox.model.__name__} records no queue time to find stale rows by")
    now = now or timezone.now()
    queued_before = Q(**{f"{outbox.queued}__lt": now - after})
    return list(
        outbox.model._default_manager.filter(outbox.free(), queued_before)
        .filter(where if where is not None else Q())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class SendTask(Protocol):
    """A Celery task that sends a list of claimed ids."""

    name: str

    def delay(self, ids: list[int], /) -> object: ...


def dispatch(*, claim: Callable[[], Sequence[int]], send: SendTask, batch: int = SEND_BATCH) -> int:
    """Run `claim()` in a transaction and queue `send` for the ids it returned, `batch` ids per
    message, through the outbox (patio.outbox): the messages are written in that transaction and
    relayed once it commits. Returns how many ids were queued.

    Concurrency: nothing is queued if the transaction rolls back (inside a caller's transaction,
    that one), so a message never names claims that do not exist; a broker that is down delays
    the messages (the outbox's sweeper relays them) and loses none. The messages are not the
    claims: two dispatches may queue one id twice, and a message may be relayed twice, which
    `take()` makes harmless. `claim` should return the new claims plus the `stale()` ones."""
    from patio import outbox  # here: the outbox builds on this module's claims

    with transaction.atomic():
        ids = list(claim())
        for start in range(0, len(ids), batch):
            outbox.enqueue_message(send.name, args=[ids[start : start + batch]])
    return len(ids)


@dataclass(frozen=True)
class Sender(Generic[M]):
    """How to send an outbox's rows given only their ids, so beat can queue again what a killed
    worker left unsent (`requeue_unsent`).

    `send_ids(ids)` sends them (it calls `deliver()` or `deliver_together()` with the app's own
    send); `applies()` is what a row must still match to be worth sending (an invitation not yet
    revoked); `due`, when set, names the column saying since when a row has been due: a row
    still free that long after was queued with a message that died with its worker (a broker
    gives an unacknowledged message back only after its visibility timeout, an hour). Apps
    declare theirs with `register()` in their `emails` module."""

    key: str
    outbox: Outbox[M]
    send_ids: Callable[[list[int]], int] = field(compare=False)
    applies: Callable[[], Q] = field(default=Q, compare=False)
    due: str | None = None

    def unsent(self, now: datetime) -> Q:
        """Rows to queue again: abandoned mid-send, or due for longer than the reclaim time and
        never taken, within the last DELIVERY_REQUEUE_DAYS (older ones are left to a person)."""
        rows = self.outbox.abandoned(now)
        if self.due is not None:
            waited = now - self.outbox.reclaim_after()
            since = now - timedelta(days=settings.DELIVERY_REQUEUE_DAYS)
            lost = Q(**{f"{self.due}__lt": waited, f"{self.due}__gte": since})
            rows |= self.outbox.free() & lost
        return rows & self.applies()


_SENDERS: dict[str, Sender[models.Model]] = {}


def register(sender: Sender[M]) -> Sender[M]:
    """Declare a sender (registering the same key again replaces it: reloads, tests)."""
    _SENDERS[sender.key] = sender  # type: ignore[assignment]
    return sender


def senders() -> list[Sender[models.Model]]:
    """Every registered sender; the apps' `emails` modules are imported first."""
    autodiscover_modules("emails")
    return sorted(_SENDERS.values(), key=lambda sender: sender.key)


def sender_named(key: str) -> Sender[models.Model]:
    autodiscover_modules("emails")
    return _SENDERS[key]


def abandoned(
    outbox: Outbox[M], *, now: datetime | None = None, where: Q | None = None
) -> list[int]:
    """The rows taken longer ago than the reclaim time and never settled (that match `where`):
    their worker died between the claim and the mark."""
    return list(
        outbox.model._default_manager.filter(outbox.abandoned(now))
        .filter(where if where is not None else Q())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# Rows one re-queue takes per sender: a backlog drains over a few runs instead of one long one.
REQUEUE_LIMIT = 1000


def requeue_unsent(*, now: datetime | None = None) -> dict[str, int]:
    """Queue `patio.tasks.send_again` for every sender's unsent rows (`Sender.unsent`), through
    the outbox; return how many rows were queued per sender key (only those with any).

    Concurrency: queueing a row twice, or while its message still waits in the broker, is
    harmless: the send task takes each row with `take()`, so one sender has it."""
    from patio import outbox  # here: the outbox builds on this module's claims

    now = now or timezone.now()
    queued: dict[str, int] = {}
    for sender in senders():
        ids = list(
            sender.outbox.model._default_manager.filter(sender.unsent(now))
            .order_by("pk")
            .values_list("pk", flat=True)[:REQUEUE_LIMIT]
        )
        if not ids:
            continue
        with transaction.atomic():
            for start in range(0, len(ids), SEND_BATCH):
                outbox.enqueue_message(
                    "patio.tasks.send_again", args=[sender.key, ids[start : start + SEND_BATCH]]
                )
        queued[sender.key] = len(ids)
    return queued
