"""Claim-then-send and batch dispatch: the one way the platform does work that must happen at most
once per row (an email per invitation, per reminder, per notification).

An `Outbox` names the timestamp columns of a model that record a row's sending:

- `taken` is set by the conditional UPDATE that claims the row for one sender, NULL while the row
  is free. Whoever set it, and only they, sends. It is never set back, except by a failed send.
- `sent`, when the model has one, is set once the email is out. Without it the claim is the record:
  a row taken and never released was sent, or skipped on purpose.
- `queued`, when the model has one, is when a dispatcher claimed the row for sending. A row queued
  long ago and still not taken was lost with its task message; `stale()` finds it for re-queueing.

The contract every helper here keeps (`tests/patio/test_delivery.py` proves it on PostgreSQL):

1. **At most once per row.** A row reaches `send` only in the call whose UPDATE moved `taken` from
   NULL. Two deliveries of one task message, two workers at once, a re-queue or a retry: the others
   find it taken and skip it. The UPDATE tests `taken IS NULL` on the row itself, so PostgreSQL
   re-checks it on the committed version when two claims race (a filter through a join alone would
   not be re-checked: Django's `update()` puts those in a subquery).
2. **A failed send is released.** When `send` raises, the row and the rest of its group, taken but
   not yet sent, go back to free, and the exception propagates: the task's retry sends them.
3. **A killed worker loses at most one group** (`take_at_once` rows): taken, never marked sent,
   they stay taken, because nobody can tell whether their email went out; a missed email is chosen
   over a doubled one. The rows of its message it had not taken yet are sent when the broker
   delivers the message again (`acks_late`, `reject_on_worker_lost`), or when a dispatcher
   re-queues them as stale.
4. **Claims commit before emails go out.** Call the senders outside a transaction (a Celery task
   runs in autocommit), so each claim is committed before its email is handed to the mail server.
5. **Dispatch enqueues after commit.** `dispatch()` queues the send tasks only once the transaction
   holding the claims commits; a rollback queues nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Ids per queued send task: small enough that a retried task repeats little, large enough that
# the broker is not the bottleneck.
SEND_BATCH = 100
# Rows sent are marked `sent` this many at a time (and always before a sender returns): marking
# is a record, not the claim, so it can wait and save a commit per email.
MARK_SENT_EVERY = 50
# A queued row still not taken this long after it was queued is taken to have lost its message.
STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Outbox(Generic[M]):
    """The columns of `model` that record its rows' sending (see the module's docstring)."""

    model: type[M]
    taken: str
    sent: str | None = None
    queued: str | None = None

    def __post_init__(self) -> None:
        for name in (self.taken, self.sent, self.queued):
            if name is not None and not isinstance(self._field(name), models.DateTimeField):
                raise TypeError(f"{self.model.__name__}.{name} is not a timestamp column")

    def _field(self, name: str) -> models.Field[object, object]:
        field = self.model._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{self.model.__name__}.{name} is not a column")
        return field

    def free(self) -> Q:
        """Rows no sender has taken."""
        return Q(**{f"{self.taken}__isnull": True})

    def sql_names(self) -> tuple[str, str, str]:
        """The table, its primary key and the `taken` column, quoted for raw SQL."""
        quote = connection.ops.quote_name
        meta, taken = self.model._meta, self._field(self.taken)
        return (
            quote(meta.db_table),
            quote(meta.pk.column or meta.pk.attname),
            quote(taken.column or taken.attname),
        )


def take(outbox: Outbox[M], *, where: Q, now: datetime | None = None) -> list[int]:
    """Claim every free row matching `where` with one conditional UPDATE; return the ids this call
    claimed, in id order.

    Concurrency: a row is returned by exactly one of any number of concurrent calls; a row someone
    else holds is left out. The claim is committed with the caller's transaction (at once, in
    autocommit)."""
    candidates = (
        outbox.model._default_manager.filter(where).filter(outbox.free()).order_by().values("pk")
    )
    subquery, params = candidates.query.sql_with_params()
    table, pk, column = outbox.sql_names()
    stamp = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            # Names come from the model, every value is a parameter. `taken IS NULL` on the row
            # itself, not only in the subquery, is what PostgreSQL re-checks when claims race.
            f"UPDATE {table} SET {column} = %s "  # noqa: S608
            f"WHERE {column} IS NULL AND {pk} IN ({subquery}) RETURNING {pk}",
            [stamp, *params],
        )
        return sorted(row[0] for row in cursor.fetchall())


def release(outbox: Outbox[M], ids: Iterable[int]) -> None:
    """Free rows this caller took and did not send, so a later call (the retry) can take them.

    Only for rows the caller holds: releasing someone else's claim would let a row go twice."""
    ids = list(ids)
    if ids:
        with transaction.atomic():
            outbox.model._default_manager.filter(pk__in=ids).update(**{outbox.taken: None})


@contextmanager
def releasing(outbox: Outbox[M], ids: Sequence[int]) -> Iterator[None]:
    """Run the block; if it raises, release `ids` and let the exception through."""
    try:
        yield
    except Exception:
        release(outbox, ids)
        raise


def mark_sent(outbox: Outbox[M], ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Record that the emails of these taken rows went out (nothing to do without a `sent`)."""
    ids = list(ids)
    if ids and outbox.sent is not None:
        outbox.model._default_manager.filter(pk__in=ids).update(
            **{outbox.sent: now or timezone.now()}
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
    """Send each of these rows at most once; return the sum of what `send` returned.

    Rows still free are read from `rows` (the model's manager by default: pass one with the
    `select_related` that `send` needs), then claimed `take_at_once` at a time with `take()`, each
    claim also requiring `where` (the row still applies). `send(row)` says how many emails went out
    for it: 0 means the row no longer applies and is skipped; it stays taken, so it is never sent.

    Concurrency: at most once per row under duplicate or concurrent calls; a `send` that raises
    releases its row and the rest of its group (the rows sent before it are marked sent) and the
    exception propagates; a killed worker loses at most `take_at_once` rows. Call it outside a
    transaction, so each claim commits before its email goes out."""
    where = where if where is not None else Q()
    base = rows if rows is not None else outbox.model._default_manager.all()
    candidates = list(base.filter(pk__in=list(ids)).filter(where, outbox.free()).order_by("pk"))
    total = 0
    sent: list[int] = []
    try:
        for start in range(0, len(candidates), take_at_once):
            group = candidates[start : start + take_at_once]
            taken = set(take(outbox, where=where & Q(pk__in=[row.pk for row in group])))
            pending = [row for row in group if row.pk in taken]
            while pending:
                with releasing(outbox, [row.pk for row in pending]):
                    count = send(pending[0])
                if count:
                    sent.append(pending[0].pk)
                    total += count
                pending.pop(0)
            if len(sent) >= MARK_SENT_EVERY:
                mark_sent(outbox, sent)
                sent.clear()
    finally:
        mark_sent(outbox, sent)
    return total


def deliver_together(outbox: Outbox[M], *, where: Q, send: Callable[[list[int]], int]) -> int:
    """Claim every free row matching `where` at once and send them as one (a digest); return what
    `send(ids)` returned, 0 when there was nothing to take.

    Concurrency: the same as `deliver()`, with the whole set as the group: it goes at most once,
    a `send` that raises releases all of it, and 0 from `send` leaves it taken and unsent."""
    ids = take(outbox, where=where)
    if not ids:
        return 0
    with releasing(outbox, ids):
        count = send(ids)
    if count:
        mark_sent(outbox, ids)
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
    Rows taken and never marked sent are not stale: a worker died while sending them, and sending
    them again could send twice."""
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
