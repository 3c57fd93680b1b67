"""With the real parts: beat firing the close task, a worker consuming Redis, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from policies import services
from policies.models import ConsentRound, PolicyReminder
from policies.tasks import dispatch_reminders
from tests.worker_fixtures import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _celery(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "patio", *args, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_beat_closes_the_round_on_time_with_its_outcome(in_round, outsider):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from patio.celery import app

    round = services.open_round(in_round)
    services.consent_respond(actor=outsider.user, round=round, answer="objection", reason="No.")
    closes_at = timezone.now() + timedelta(seconds=4)
    ConsentRound.objects.filter(pk=round.pk).update(closes_at=closes_at)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="close consent rounds", task="policies.tasks.close_rounds", interval=every_second
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.assemblies.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    app.control.purge()
    processes = [
        _celery(
            "beat",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--max-interval=1",
            env=env,
        ),
        _celery(
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--hostname=policies@%h",
            env=env,
        ),
    ]
    try:
        time.sleep(2)
        assert ConsentRound.objects.get(pk=round.pk).closed_at is None  # not before its time
        wait_until(lambda: ConsentRound.objects.get(pk=round.pk).closed_at is not None, timeout=40)
    finally:
        for process in processes:
            _stop(process)
        app.control.purge()

    round.refresh_from_db()
    assert round.outcome == "objections"
    assert closes_at <= round.closed_at < closes_at + timedelta(seconds=15)


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
