"""Claim-then-send and batch dispatch (patio.delivery), once and in depth, on PostgreSQL.

Every app's emails go through these helpers, so this is where their promises are proved: a row is
sent at most once however often or concurrently its task runs; a failed send is released and the
retry sends it; a killed worker loses at most one small group; a claim whose message was lost is
queued again and sent once; send tasks are queued only when the claims commit.

The rows are assembly reminders (a claim column, a sent column and a queue time) and pledge
reminders (the claim is the record, and the claim goes through a join: the pledge must be active).
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from celery.worker import state as worker_state
from django.conf import settings
from django.core import mail
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from assemblies import services as assembly_services
from assemblies.emails import REMINDERS
from assemblies.models import Assembly, ReminderDelivery
from assemblies.tasks import send_reminders
from fund import services as fund_services
from fund.emails import REMINDERS as PLEDGE_REMINDERS
from fund.models import Pledge, PledgeReminder
from patio.celery import ping
from patio.delivery import (
    SEND_BATCH,
    Outbox,
    abandoned,
    deliver,
    deliver_together,
    dispatch,
    release,
    requeue_unsent,
    stale,
    take,
)
from patio.models import OutboxMessage
from tests.assemblies.factories import AssemblyFactory
from tests.factories import PersonFactory
from tests.worker_fixtures import WORKER_TIMEOUT, wait_until

T = TypeVar("T")
WITH_PEOPLE = ReminderDelivery.objects.select_related("person__user")


class Abandon(Exception):
    pass


def _soon() -> Assembly:
    """Starts in 30 minutes: the hour-before reminder is due for everyone."""
    return AssemblyFactory(
        title="Assembly starting soon", start=timezone.now() + timedelta(minutes=30)
    )


def _claims(coop, count: int, *, queued_at: datetime.datetime | None = None) -> list[int]:
    """Reminder rows as a dispatch leaves them: claimed (queued), not taken, not sent."""
    assembly = _soon()
    rows = ReminderDelivery.objects.bulk_create(
        ReminderDelivery(
            assembly=assembly,
            person=PersonFactory(organisation=coop),
            kind=ReminderDelivery.Kind.HOUR_BEFORE,
            queued_at=queued_at or timezone.now(),
        )
        for _ in range(count)
    )
    return sorted(row.pk for row in rows)


def _email(delivery: ReminderDelivery) -> int:
    send_mail("Starting soon", "See you there.", None, [delivery.person.user.email])
    return 1


def _failing_on(*pks: int) -> Callable[[ReminderDelivery], int]:
    def send(delivery: ReminderDelivery) -> int:
        if delivery.pk in pks:
            raise OSError("the mail server is down")
        return _email(delivery)

    return send


def _recipients() -> Counter[str]:
    return Counter(message.to[0] for message in mail.outbox)


def _state(pk: int) -> tuple[bool, bool]:
    """(taken, settled) for one reminder row."""
    row = ReminderDelivery.objects.get(pk=pk)
    return row.attempted_at is not None, row.sent_at is not None


def _address(pk: int) -> str:
    return WITH_PEOPLE.get(pk=pk).person.user.email


def _pledge_reminder(coop_admin) -> int:
    fund_services.pledge_create(
        actor=coop_admin.user,
        organisation=coop_admin.organisation,
        amount="40",
        currency="EUR",
        frequency="monthly",
        next_due_on=datetime.date(2026, 3, 1),
    )
    (reminder_id,) = fund_services.pledge_reminders_due(today=datetime.date(2026, 2, 27))
    return reminder_id


# at most once ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_row_is_taken_by_the_first_claim_only(coop):
    (pk,) = _claims(coop, 1)

    assert take(REMINDERS, where=Q(pk=pk)) == [pk]
    assert take(REMINDERS, where=Q(pk=pk)) == []


@pytest.mark.django_db
def test_delivering_the_same_rows_twice_sends_each_once_and_marks_them_sent(coop):
    ids = _claims(coop, 5)

    assert deliver(REMINDERS, ids=ids, send=_email, rows=WITH_PEOPLE, take_at_once=2) == 5
    assert deliver(REMINDERS, ids=ids, send=_email, rows=WITH_PEOPLE, take_at_once=2) == 0

    assert sorted(_recipients().values()) == [1] * 5
    assert all(_state(pk) == (True, True) for pk in ids)


@pytest.mark.django_db
def test_a_row_that_no_longer_applies_when_claimed_is_neither_taken_nor_sent(coop_admin):
    reminder_id = _pledge_reminder(coop_admin)
    Pledge.objects.update(active=False)  # the co-op ended its pledge after the reminder was queued

    sent = deliver(
        PLEDGE_REMINDERS,
        ids=[reminder_id],
        send=lambda reminder: 1,
        where=Q(pledge__active=True),
    )

    assert sent == 0
    assert PledgeReminder.objects.get(pk=reminder_id).sent_at is None


@pytest.mark.django_db
def test_a_row_skipped_by_the_sender_is_settled_and_never_sent_even_past_the_reclaim_time(
    coop, settings
):
    first, second = _claims(coop, 2)

    def skip_first(delivery: ReminderDelivery) -> int:
        return 0 if delivery.pk == first else _email(delivery)

    assert deliver(REMINDERS, ids=[first, second], send=skip_first, rows=WITH_PEOPLE) == 1
    settings.DELIVERY_RECLAIM_SECONDS = 0  # every claim is old now: only settled rows stay put
    assert deliver(REMINDERS, ids=[first, second], send=_email, rows=WITH_PEOPLE) == 0

    assert _state(first) == (True, True)
    assert _state(second) == (True, True)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_row_sent_through_a_join_is_taken_and_settled_once(coop_admin):
    reminder_id = _pledge_reminder(coop_admin)
    active = Q(pledge__active=True)

    assert deliver(PLEDGE_REMINDERS, ids=[reminder_id], send=lambda _: 2, where=active) == 2
    assert deliver(PLEDGE_REMINDERS, ids=[reminder_id], send=lambda _: 2, where=active) == 0
    reminder = PledgeReminder.objects.get(pk=reminder_id)
    assert reminder.taken_at is not None
    assert reminder.sent_at is not None


# failure and retry -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_failed_send_releases_its_group_keeps_what_went_out_and_the_retry_sends_the_rest(coop):
    ids = _claims(coop, 8)
    broken = ids[2]  # the third row of the first group of five

    with pytest.raises(OSError):
        deliver(REMINDERS, ids=ids, send=_failing_on(broken), rows=WITH_PEOPLE, take_at_once=5)

    assert [_state(pk) for pk in ids] == [(True, True)] * 2 + [(False, False)] * 6
    assert len(mail.outbox) == 2

    assert deliver(REMINDERS, ids=ids, send=_email, rows=WITH_PEOPLE, take_at_once=5) == 6
    assert sorted(_recipients().values()) == [1] * 8


@pytest.mark.django_db
def test_a_failed_send_releases_a_row_whose_claim_is_its_record(coop_admin):
    reminder_id = _pledge_reminder(coop_admin)

    def down(reminder: PledgeReminder) -> int:
        raise OSError("the mail server is down")

    with pytest.raises(OSError):
        deliver(PLEDGE_REMINDERS, ids=[reminder_id], send=down)
    assert PledgeReminder.objects.get(pk=reminder_id).sent_at is None

    assert deliver(PLEDGE_REMINDERS, ids=[reminder_id], send=lambda reminder: 1) == 1


@pytest.mark.django_db
def test_rows_sent_together_go_once_and_a_failure_releases_them_all(coop):
    ids = _claims(coop, 3)
    everyone = Q(pk__in=ids)

    def down(taken: list[int]) -> int:
        raise OSError("the mail server is down")

    with pytest.raises(OSError):
        deliver_together(REMINDERS, where=everyone, send=down)
    assert [_state(pk) for pk in ids] == [(False, False)] * 3

    digests: list[list[int]] = []

    def digest(taken: list[int]) -> int:
        digests.append(taken)
        return 1

    assert deliver_together(REMINDERS, where=everyone, send=digest) == 1
    assert deliver_together(REMINDERS, where=everyone, send=digest) == 0
    assert digests == [ids]
    assert [_state(pk) for pk in ids] == [(True, True)] * 3


# a killed worker, abandoned and stale claims ------------------------------------------------------
@pytest.mark.django_db
def test_rows_a_killed_worker_had_taken_are_sent_once_their_claim_is_older_than_the_reclaim_time(
    coop, settings
):
    settings.DELIVERY_RECLAIM_SECONDS = 900
    now = timezone.now()
    ids = _claims(coop, 4, queued_at=now - timedelta(hours=1))
    # A worker died mid-send 20 minutes ago; another holds its claim, taken a minute ago.
    take(REMINDERS, where=Q(pk__in=ids[:2]), now=now - timedelta(minutes=20))
    take(REMINDERS, where=Q(pk=ids[2]), now=now - timedelta(minutes=1))

    assert abandoned(REMINDERS, now=now) == ids[:2]
    assert stale(REMINDERS, after=timedelta(minutes=2)) == ids[3:]
    assert deliver(REMINDERS, ids=ids, send=_email, rows=WITH_PEOPLE) == 3
    assert deliver(REMINDERS, ids=ids, send=_email, rows=WITH_PEOPLE) == 0
    assert _recipients() == {_address(pk): 1 for pk in [*ids[:2], ids[3]]}
    assert [_state(pk) for pk in ids] == [(True, True), (True, True), (True, False), (True, True)]


@pytest.mark.django_db
def test_an_abandoned_claim_is_taken_again_by_one_claimer_only(coop, settings):
    settings.DELIVERY_RECLAIM_SECONDS = 60
    (pk,) = _claims(coop, 1)
    take(REMINDERS, where=Q(pk=pk), now=timezone.now() - timedelta(minutes=5))

    assert take(REMINDERS, where=Q(pk=pk)) == [pk]
    assert take(REMINDERS, where=Q(pk=pk)) == []
    assert abandoned(REMINDERS) == []


@pytest.mark.django_db
def test_a_slow_sender_that_fails_does_not_release_the_claim_someone_took_over(coop, settings):
    settings.DELIVERY_RECLAIM_SECONDS = 60
    (pk,) = _claims(coop, 1)
    slow_claim = timezone.now() - timedelta(minutes=5)
    take(REMINDERS, where=Q(pk=pk), now=slow_claim)
    assert take(REMINDERS, where=Q(pk=pk)) == [pk]  # the reclaim

    release(REMINDERS, [pk], taken_at=slow_claim)  # the slow one gives up its (lost) claim

    assert _state(pk) == (True, False)
    assert take(REMINDERS, where=Q(pk=pk)) == []


@pytest.mark.django_db
def test_only_claims_queued_longer_ago_than_the_timeout_and_never_taken_are_stale(coop):
    now = timezone.now()
    old = _claims(coop, 2, queued_at=now - timedelta(minutes=10))
    fresh = _claims(coop, 1, queued_at=now - timedelta(seconds=30))
    take(REMINDERS, where=Q(pk=old[0]))

    assert stale(REMINDERS, now=now, after=timedelta(minutes=2)) == [old[1]]
    assert stale(REMINDERS, now=now, after=timedelta(seconds=10)) == sorted([old[1], *fresh])
    assert stale(REMINDERS, now=now, after=timedelta(0), where=Q(pk__in=fresh)) == fresh


@pytest.mark.pure
def test_an_outbox_names_timestamp_columns_only():
    with pytest.raises(TypeError, match="timestamp"):
        Outbox(ReminderDelivery, taken="kind", settled="sent_at")


@pytest.mark.django_db
def test_rows_that_record_no_queue_time_cannot_be_stale():
    with pytest.raises(ValueError, match="queue time"):
        stale(PLEDGE_REMINDERS)


@pytest.mark.django_db
def test_releasing_frees_a_row_for_the_next_claim(coop):
    (pk,) = _claims(coop, 1)
    take(REMINDERS, where=Q(pk=pk))

    release(REMINDERS, [pk])

    assert take(REMINDERS, where=Q(pk=pk)) == [pk]


# concurrent senders, each with its own database connection ---------------------------------------
def _in_threads(*targets: Callable[[], T]) -> list[T | None]:
    """Run each target in its own thread (so its own connection); re-raise what any raised."""
    results: list[T | None] = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index: int, target: Callable[[], T]) -> None:
        try:
            results[index] = target()
        except BaseException as error:  # handed back to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_row_once(coop):
    ids = _claims(coop, 120)
    start = threading.Barrier(2, timeout=10)

    def sender() -> int:
        start.wait()
        return deliver(REMINDERS, ids=ids, send=_email, rows=WITH_PEOPLE, take_at_once=3)

    counts = _in_threads(sender, sender)

    assert sum(count or 0 for count in counts) == 120
    assert sorted(_recipients().values()) == [1] * 120
    assert ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 120


def _someone_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_claim_that_waits_for_a_racing_claim_through_a_join_finds_the_row_taken(coop_admin):
    """The race a plain `update()` loses: the filter goes through a join (the pledge is active),
    the second claim reads the row as free, waits for the first's lock, and must then see it
    taken. PostgreSQL re-checks only conditions on the row itself once the lock is released."""
    reminder_id = _pledge_reminder(coop_admin)
    claim = Q(pk=reminder_id, pledge__active=True)
    holding, let_go = threading.Event(), threading.Event()

    def first() -> list[int]:
        with transaction.atomic():
            taken = take(PLEDGE_REMINDERS, where=claim)
            holding.set()
            # Hold the row lock, uncommitted, until the second claim is seen waiting for it.
            if not let_go.wait(timeout=10):
                raise AssertionError("the second claim never waited for the row")
        return taken

    def second() -> list[int]:
        holding.wait(timeout=10)
        return take(PLEDGE_REMINDERS, where=claim)

    def referee() -> None:
        holding.wait(timeout=10)
        wait_until(_someone_waits_for_a_row_lock)
        let_go.set()

    first_took, second_took, _ = _in_threads(first, second, referee)

    assert first_took == [reminder_id]
    assert second_took == []


# dispatch ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_dispatch_writes_the_claims_to_the_outbox_in_batches_relayed_once_they_commit(
    django_capture_on_commit_callbacks,
):
    ids = list(range(1, 2 * SEND_BATCH + 51))

    with django_capture_on_commit_callbacks(execute=False) as relays:
        assert dispatch(claim=lambda: ids, send=send_reminders) == len(ids)

    messages = OutboxMessage.objects.order_by("pk")
    assert [(m.task, m.args) for m in messages] == [
        (send_reminders.name, [ids[:SEND_BATCH]]),
        (send_reminders.name, [ids[SEND_BATCH : 2 * SEND_BATCH]]),
        (send_reminders.name, [ids[-50:]]),
    ]
    assert not any(m.relayed_at for m in messages), "relayed after commit, not before"
    assert len(relays) == 3


@pytest.mark.django_db
def test_a_dispatch_rolled_back_queues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as relays,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        dispatch(claim=lambda: [1, 2, 3], send=send_reminders)
        raise Abandon

    assert not OutboxMessage.objects.exists()
    assert relays == []


# with the real worker ----------------------------------------------------------------------------
def _dispatch_reminders() -> int:
    return dispatch(claim=assembly_services.reminders_dispatch, send=send_reminders)


@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_real_worker_gets_nothing_from_a_rolled_back_dispatch_and_sends_a_committed_one_once(
    celery_worker, coop
):
    people = [PersonFactory(organisation=coop) for _ in range(3)]
    _soon()
    sends_run = worker_state.total_count[send_reminders.name]

    with pytest.raises(Abandon), transaction.atomic():
        assert _dispatch_reminders() == 3
        raise Abandon
    # One worker takes the queue in order: once a later ping is answered, anything queued
    # before it has run too.
    assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"
    assert worker_state.total_count[send_reminders.name] == sends_run  # no message was queued
    assert mail.outbox == []
    assert not ReminderDelivery.objects.exists()

    assert _dispatch_reminders() == 3
    wait_until(lambda: ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 3)
    assert _dispatch_reminders() == 0
    assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"
    assert _recipients() == {person.user.email: 1 for person in people}


@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_real_worker_sends_a_claim_whose_message_was_lost_once_when_dispatch_queues_it_again(
    celery_worker, coop
):
    people = [PersonFactory(organisation=coop) for _ in range(4)]
    _soon()
    lost = assembly_services.reminders_dispatch()  # claimed, and the message never reached Redis
    assert _dispatch_reminders() == 0  # too early to tell it from a message still in the queue
    ReminderDelivery.objects.update(queued_at=timezone.now() - timedelta(minutes=10))
    died_sending = take(REMINDERS, where=Q(pk=lost[0]))  # a worker took this one, then died

    assert _dispatch_reminders() == 3
    assert _dispatch_reminders() in (0, 3)  # a second beat may queue them again: harmless
    wait_until(lambda: ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 3)
    assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"

    assert _recipients() == {p.user.email: 1 for p in people if p.user.email != _address(lost[0])}
    assert died_sending == lost[:1]

    # Past the reclaim time, beat's re-queue gives the abandoned one to a worker: all four, once.
    ReminderDelivery.objects.filter(pk=lost[0]).update(
        attempted_at=timezone.now() - timedelta(seconds=settings.DELIVERY_RECLAIM_SECONDS + 1)
    )
    assert requeue_unsent() == {"assemblies.reminders": 1}
    wait_until(lambda: ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 4)
    assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"
    assert _recipients() == {p.user.email: 1 for p in people}


@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_real_worker_given_the_same_message_twice_sends_each_reminder_once(celery_worker, coop):
    ids = _claims(coop, 5)

    first = send_reminders.delay(ids)
    second = send_reminders.delay(ids)

    assert first.get(timeout=WORKER_TIMEOUT) + second.get(timeout=WORKER_TIMEOUT) == 5
    assert sorted(_recipients().values()) == [1] * 5
