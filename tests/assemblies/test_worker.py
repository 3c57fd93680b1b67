"""Reminders with the real parts: a Celery worker consuming Redis, beat firing, PostgreSQL.

Each reminder reaches the mail backend once per person, assembly and kind, even when beat fires
twice and when a worker is killed in the middle of a batch and another takes over."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assemblies.models import ReminderDelivery
from assemblies.tasks import dispatch_reminders
from patio.emails import message_id
from tests.assemblies.factories import AssemblyFactory
from tests.factories import PersonFactory
from tests.worker_fixtures import assert_each_once, kill_mid_send, wait_until


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
def test_a_worker_killed_mid_batch_and_restarted_sends_every_reminder_once(coop, tmp_path):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    people = [PersonFactory(organisation=coop) for _ in range(60)]
    _soon_assembly()
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="dispatch reminders",
        task="assemblies.tasks.dispatch_reminders",
        interval=every_second,
    )
    sent = kill_mid_send(
        tmp_path / "mail.log",
        queue=lambda: None,  # beat dispatches them
        kill_after=10,
        mail_delay=0.05,
        done=lambda: (
            ReminderDelivery.objects.count() == len(people)
            and not ReminderDelivery.objects.filter(sent_at__isnull=True).exists()
        ),
        ASSEMBLY_REMINDER_REQUEUE_SECONDS="3",
    )

    # The rows the dead worker had taken (up to TAKE_AT_ONCE) were taken again and sent.
    assert_each_once(
        sent,
        {
            r.person.user.email: message_id(r)
            for r in ReminderDelivery.objects.select_related("person__user")
        },
    )
