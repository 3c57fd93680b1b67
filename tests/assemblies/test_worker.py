"""Reminders with the real parts: a Celery worker consuming Redis, beat firing, PostgreSQL.

Each reminder reaches the mail backend at most once per person, assembly and kind, even when
beat fires twice and when a worker is killed in the middle of a batch and another takes over."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assemblies.emails import TAKE_AT_ONCE
from assemblies.models import ReminderDelivery
from assemblies.tasks import dispatch_reminders
from tests.assemblies.factories import AssemblyFactory
from tests.assemblies.mail_log import read_log
from tests.factories import PersonFactory
from tests.worker_fixtures import celery_processes, wait_until


def _soon_assembly():
    """Starts in 30 minutes: the hour-before reminder is due for everyone."""
    return AssemblyFactory(
        title="Assembly starting soon", start=timezone.now() + timedelta(minutes=30)
    )


def test_a_real_worker_emails_each_due_reminder_once_when_beat_fires_twice(celery_worker, coop):
    people = [PersonFactory(organisation=coop) for _ in range(12)]
    _soon_assembly()

    dispatch_reminders.delay()
    dispatch_reminders.delay()

    wait_until(lambda: ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 12)
    time.sleep(0.5)  # room for a wrong second send to arrive
    sent = Counter(m.to[0] for m in mail.outbox)
    assert set(sent) == {p.user.email for p in people}
    assert max(sent.values()) == 1
    assert all("Starting soon" in m.subject for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_sends_no_reminder_twice(coop, tmp_path):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    people = [PersonFactory(organisation=coop) for _ in range(60)]
    _soon_assembly()
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="dispatch reminders",
        task="assemblies.tasks.dispatch_reminders",
        interval=every_second,
    )
    log = tmp_path / "mail.log"
    with celery_processes(
        ASSEMBLY_MAIL_LOG=str(log),
        ASSEMBLY_MAIL_DELAY="0.05",
        ASSEMBLY_REMINDER_REQUEUE_SECONDS="3",
    ) as start:
        start("beat")
        first = start("worker", "first")
        wait_until(lambda: len(read_log(log)) >= 10, timeout=60)
        os.kill(first.pid, signal.SIGKILL)  # no goodbye, no acknowledgement
        first.wait()
        killed_at = len(read_log(log))
        assert killed_at < len(people), "the worker was meant to die in the middle of the batch"

        start("worker", "second")
        wait_until(
            lambda: not ReminderDelivery.objects.filter(attempted_at__isnull=True).exists(),
            timeout=60,
        )
        time.sleep(2)  # beat keeps firing: room for a wrong second send to arrive

    sent = Counter(read_log(log))
    assert max(sent.values()) == 1, [email for email, n in sent.items() if n > 1]
    assert ReminderDelivery.objects.count() == len(people)
    # Sends cut off by the kill (rows taken, emails never handed over) are not retried: at most
    # the rows one commit took go missing per killed worker, none goes twice.
    assert len(sent) >= len(people) - TAKE_AT_ONCE
