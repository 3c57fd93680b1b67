"""With the real parts: beat firing the close task, a worker consuming Redis, PostgreSQL."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from policies import services
from policies.models import ConsentRound, PolicyReminder
from policies.tasks import dispatch_reminders
from tests.worker_fixtures import celery_processes, wait_for_beat, wait_for_worker, wait_until


@pytest.mark.django_db(transaction=True)
def test_beat_closes_the_round_on_time_with_its_outcome(in_round, outsider):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    round = services.open_round(in_round)
    services.consent_respond(actor=outsider.user, round=round, answer="objection", reason="No.")
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="close consent rounds", task="policies.tasks.close_rounds", interval=every_second
    )
    with celery_processes() as start:
        beat, worker = start("beat"), start("worker", "policies")
        # Starting both takes anything from 2 to 30 s on a busy machine: the clock starts once
        # the worker answers and beat has fired, so what is timed is beat's schedule alone.
        wait_for_worker(worker, "policies")
        wait_for_beat(beat, "close consent rounds")
        closes_at = timezone.now() + timedelta(seconds=4)
        ConsentRound.objects.filter(pk=round.pk).update(closes_at=closes_at)

        time.sleep(2)
        assert ConsentRound.objects.get(pk=round.pk).closed_at is None  # not before its time
        wait_until(lambda: ConsentRound.objects.get(pk=round.pk).closed_at is not None, timeout=30)

    round.refresh_from_db()
    assert round.outcome == "objections"
    late = round.closed_at - closes_at
    assert timedelta(0) <= late < timedelta(seconds=15), f"closed {late} after its time"


def test_a_real_worker_sends_each_round_reminder_once_when_dispatch_fires_twice(
    celery_worker, in_round, member, colleague, outsider
):
    ConsentRound.objects.filter(pk=services.open_round(in_round).pk).update(
        closes_at=timezone.now() + timedelta(days=1)
    )

    dispatch_reminders.delay()
    dispatch_reminders.delay()

    wait_until(lambda: PolicyReminder.objects.filter(sent_at__isnull=False).count() == 3)
    time.sleep(0.5)  # room for a wrong second send to arrive
    sent = Counter(m.to[0] for m in mail.outbox)
    assert set(sent) == {p.user.email for p in (member, colleague, outsider)}
    assert max(sent.values()) == 1
