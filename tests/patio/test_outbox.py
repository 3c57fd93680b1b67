"""The transactional outbox (patio.outbox) with the real parts: PostgreSQL, a Redis of the test's
own that it stops and starts again, and real Celery workers, one of them killed with SIGKILL.

A write whose broker is down at commit is saved and answered as usual; its task waits in the
outbox and runs once the broker is back, once. A write rolled back leaves nothing to run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from intake import services as intake_services
from intake.models import HelpRequest
from intake.tasks import send_help_request_ack
from patio import outbox
from patio.celery import app, ping
from patio.models import OutboxMessage
from patio.tasks import outbox_sweep
from tests.assemblies.mail_log import read_log
from tests.worker_fixtures import (
    WORKER_TIMEOUT,
    celery_processes,
    running_worker,
    wait_for_worker,
    wait_until,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]

API_URL = "/api/v1/help-requests/"
FORM_URL = "/request-help/"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class Abandon(Exception):
    pass


def _body(email: str = "rosa@olla.example") -> dict:
    return {
        "organisation_name": "Olla Popular Cerro",
        "contact_name": "Rosa Requester",
        "contact_email": email,
        "country": "UY",
        "need": "maintain",
        "description": "Our website is old.",
        "budget_range": "lt5k",
        "timeline": "flexible",
    }


def _form(email: str) -> dict:
    from intake.forms import form_started_token

    return {**_body(email), "started": form_started_token(), "website": ""}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _use_broker(url: str) -> None:
    """Point this process's Celery app at `url`: its connection and producer pools are dropped,
    so the next publish connects there."""
    app.conf.broker_url = url
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


class Broker:
    """A redis-server of the test's own, that keeps its data across a stop and a start (append-
    only file, as in production), on a free port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers)

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()  # a clean shutdown: Redis writes its file and exits
        self.process.wait(timeout=WORKER_TIMEOUT)
        self.process = None


@pytest.fixture
def broker(tmp_path, settings):
    """The app's broker is this Redis, started; `broker.stop()` makes it unreachable."""
    own = Broker(tmp_path)
    own.start()
    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = own.url
    _use_broker(own.url)
    try:
        yield own
    finally:
        _use_broker(previous)
        if own.process is not None:
            own.stop()


@contextlib.contextmanager
def broker_refusing():
    """The app's broker is a closed port for the block: every publish is refused."""
    previous = app.conf.broker_url
    _use_broker("redis://127.0.0.1:1/0")
    try:
        yield
    finally:
        _use_broker(previous)


@pytest.fixture
def sweep_at_once(settings):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    settings.HELP_REQUEST_MIN_SECONDS = 0


def _pending() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(relayed_at__isnull=True).order_by("pk"))


def _recipients() -> Counter:
    return Counter(message.to[0] for message in mail.outbox)


def _submit(email: str) -> HelpRequest:
    return intake_services.help_request_submit(data=_body(email), language="en")


# A broker outage at commit -------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_an_api_request_while_the_broker_is_down_is_saved_once_and_acknowledged_when_it_is_back(
    broker, member, sweep_at_once
):
    partner = APIClient()
    partner.force_authenticate(member.user)
    broker.stop()

    started = time.monotonic()
    response = partner.post(API_URL, _body(), format="json", HTTP_IDEMPOTENCY_KEY="help-1")
    took = time.monotonic() - started
    retry = partner.post(API_URL, _body(), format="json", HTTP_IDEMPOTENCY_KEY="help-1")

    assert response.status_code == 201, response.content
    assert took < 5, "the request waited on the broker"
    assert retry.status_code == 201
    assert retry.json() == response.json()
    help_request = HelpRequest.objects.get()
    [waiting] = _pending()
    assert (waiting.task, waiting.args) == (send_help_request_ack.name, [help_request.pk])
    assert waiting.attempts == 1
    assert waiting.last_error, "the broker's refusal is recorded"

    broker.start()
    with running_worker():
        call_command("outbox_sweep", stdout=open(os.devnull, "w"))  # noqa: SIM115
        wait_until(lambda: len(mail.outbox) == 1)
        assert outbox.sweep() == 0, "nothing is left to relay"
        assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"

    assert _recipients() == {"rosa@olla.example": 1}
    assert _pending() == []
    assert OutboxMessage.objects.get().args == [], "a relayed row keeps no arguments"
    assert HelpRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_form_request_while_the_broker_is_down_is_thanked_and_acknowledged_later(
    broker, client, sweep_at_once
):
    broker.stop()

    response = client.post(FORM_URL, _form("ana@barrio.example"))

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/request-help/thanks/"
    assert HelpRequest.objects.count() == 1
    assert len(_pending()) == 1

    broker.start()
    with running_worker():
        assert outbox.sweep() == 1
        wait_until(lambda: len(mail.outbox) == 1)
    assert _recipients() == {"ana@barrio.example": 1}


@pytest.mark.django_db(transaction=True)
def test_redis_stopped_and_restarted_mid_requests_loses_no_write_and_runs_each_task_once(
    broker, client, sweep_at_once
):
    with running_worker():
        assert client.post(FORM_URL, _form("before@outage.example")).status_code == 302
        wait_until(lambda: len(mail.outbox) == 1)

        broker.stop()
        during = [client.post(FORM_URL, _form(f"during{n}@outage.example")) for n in range(3)]
        assert [r.status_code for r in during] == [302, 302, 302]
        assert len(_pending()) == 3
        assert len(mail.outbox) == 1

        broker.start()
        # Beat's sweep, run here: the worker, reconnected, runs what it relays.
        assert outbox.sweep() == 3
        wait_until(lambda: len(mail.outbox) == 4, timeout=60)
        assert outbox.sweep() == 0
        assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"

    assert HelpRequest.objects.count() == 4
    assert not HelpRequest.objects.filter(acknowledged_at__isnull=True).exists()
    assert _recipients() == {
        "before@outage.example": 1,
        **{f"during{n}@outage.example": 1 for n in range(3)},
    }


# A worker killed in the middle of a sweep ----------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_sweep_loses_no_task_and_doubles_no_email(
    tmp_path, settings
):
    count = 30
    with broker_refusing():
        for n in range(count):
            _submit(f"person{n}@sweep.example")
    assert len(_pending()) == count
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    settings.OUTBOX_CLAIM_SECONDS = 2
    log = tmp_path / "mail.log"

    with celery_processes(
        ASSEMBLY_MAIL_LOG=str(log),
        OUTBOX_PUBLISH_DELAY="0.2",
        OUTBOX_SWEEP_AFTER_SECONDS="0",
    ) as start:
        first = start("worker", "first")
        wait_for_worker(first, "first")
        outbox_sweep.delay()
        wait_until(lambda: OutboxMessage.objects.filter(relayed_at__isnull=False).count() >= 3)
        os.kill(first.pid, signal.SIGKILL)  # no goodbye, no acknowledgement
        first.wait()
        relayed = OutboxMessage.objects.filter(relayed_at__isnull=False).count()
        assert relayed < count, "the worker was meant to die in the middle of the sweep"
        assert (
            OutboxMessage.objects.filter(relayed_at__isnull=True).exclude(claimed_at=None).exists()
        ), "it held claims when it died"

        second = start("worker", "second")
        wait_for_worker(second, "second")
        time.sleep(settings.OUTBOX_CLAIM_SECONDS)  # the dead worker's claims expire
        outbox.sweep()
        wait_until(lambda: not _pending(), timeout=60)
        wait_until(lambda: len(read_log(log)) >= count, timeout=60)
        time.sleep(1)  # room for a wrong second email to arrive

    sent = Counter(read_log(log))
    assert sent == {f"person{n}@sweep.example": 1 for n in range(count)}
    assert _pending() == []
    assert not HelpRequest.objects.filter(acknowledged_at__isnull=True).exists()


# Rollback, backlog, pruning ------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_leaves_no_outbox_row_and_queues_nothing(settings):
    queue = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    app.control.purge()

    with pytest.raises(Abandon), transaction.atomic():
        _submit("never@sent.example")
        raise Abandon

    assert not HelpRequest.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert queue.llen("celery") == 0

    _submit("sent@once.example")
    assert OutboxMessage.objects.get().relayed_at is not None
    assert queue.llen("celery") == 1


def _failing(response) -> set[str]:
    return {name for name, check in response.json()["checks"].items() if check["status"] != "ok"}


@pytest.mark.django_db
def test_a_task_waiting_for_the_broker_too_long_is_a_503_naming_the_outbox(client, settings):
    settings.OUTBOX_BACKLOG_SECONDS = 60
    _submit("late@backlog.example")  # not relayed: the test's transaction never commits
    assert client.get("/healthz").json()["checks"]["outbox"] == {
        "status": "ok",
        "detail": "1 task pending",
        "ms": pytest.approx(0, abs=1000),
    }

    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(seconds=90))
    response = client.get("/healthz")

    assert response.status_code == 503
    assert "outbox" in _failing(response)
    assert (
        response.json()["checks"]["outbox"]["detail"]
        == "1 task waiting for the broker for over 60 s"
    )


@pytest.mark.django_db
def test_the_metrics_give_the_outbox_backlog(client):
    for n in range(2):
        _submit(f"gauge{n}@metrics.example")
    OutboxMessage.objects.filter(pk=_pending()[0].pk).update(
        created_at=timezone.now() - timedelta(seconds=42)
    )

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    figures = {
        sample.name: sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
        if sample.name.startswith("patio_outbox_")
    }
    assert figures["patio_outbox_pending"] == 2
    assert figures["patio_outbox_oldest_pending_seconds"] == pytest.approx(42, abs=5)


@pytest.mark.django_db
def test_relayed_rows_are_pruned_after_the_retention_period_and_pending_ones_never(settings):
    settings.OUTBOX_RETENTION_DAYS = 7
    now = timezone.now()
    old = OutboxMessage.objects.create(task="x", relayed_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(task="x", relayed_at=now - timedelta(days=6))
    waiting = OutboxMessage.objects.create(task="x", created_at=now - timedelta(days=30))

    assert outbox.prune(now=now) == 1

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


@pytest.mark.pure
def test_beat_sweeps_the_outbox_every_30_seconds():
    entry = django_settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert (entry["task"], entry["schedule"]) == (outbox_sweep.name, 30.0)


# Every task a write dispatches goes through the outbox -------------------------------------
ROOT = Path(__file__).resolve().parents[2]
DIRECT = (".delay(", ".delay_on_commit(", ".apply_async(", ".send_task(")


@pytest.mark.pure
def test_no_service_queues_a_task_past_the_outbox():
    """Services own the writes; a task they queue directly is lost when the broker is down at
    commit. patio.delivery's dispatch is a write too (its claims)."""
    sources = [
        *ROOT.glob("*/services.py"),
        *ROOT.glob("*/services/*.py"),
        ROOT / "patio" / "delivery.py",
        ROOT / "patio" / "failed_tasks.py",  # a retry from the admin marks the row retried
    ]
    assert len(sources) > 8
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in sources
        for line in path.read_text().splitlines()
        if any(call in line for call in DIRECT) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
