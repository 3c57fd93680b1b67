"""Real Celery workers for integration tests, consuming the real Redis.

`celery_worker` is a thread of this process. It opens its own database connection, so tests that
use it see only committed data: the fixture asks for `transactional_db`. Mail sent by a task lands
in `django.core.mail.outbox` (the locmem backend is process memory, shared with the thread).

`celery_processes()` starts worker and beat as child processes instead, for tests that kill a
worker or need beat's database scheduler. They read tests/assemblies/worker_settings.py.

Both use this test process's broker: under pytest-xdist each worker process (gw0, gw1, …) has
Redis databases of its own (patio/settings_test.py), so a Celery worker only ever takes tasks
queued by its own xdist worker, for rows in that worker's test database.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import pytest
from django.conf import settings

WORKER_TIMEOUT = 10.0
ROOT = Path(__file__).resolve().parents[1]


def _forget_result_backend(app) -> None:
    # Celery caches its backend per thread (or app-wide when thread-safe); drop the cache so the
    # next call builds one from the configuration we just changed.
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def running_worker():
    """Run `patio.celery.app`'s worker in a thread until the block ends, then stop it.

    Results go to Redis for the duration, so a test can wait on `.get()`.
    """
    from celery.contrib.testing.worker import start_worker

    from patio.celery import app

    assert app.conf.broker_url.startswith("redis://"), "the worker tests need the real Redis"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL, "this xdist worker's own broker"
    previous = {
        "result_backend": app.conf.result_backend,
        "worker_hijack_root_logger": app.conf.worker_hijack_root_logger,
    }
    app.conf.result_backend = settings.CELERY_BROKER_URL
    # Leave pytest's and Django's log handlers alone.
    app.conf.worker_hijack_root_logger = False
    _forget_result_backend(app)
    # Messages left by earlier tests point at rows that no longer exist; start from an empty queue.
    app.control.purge()
    try:
        with start_worker(
            app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=WORKER_TIMEOUT
        ) as worker:
            yield worker
    finally:
        for name, value in previous.items():
            setattr(app.conf, name, value)
        _forget_result_backend(app)


@pytest.fixture
def celery_worker(transactional_db):
    """A worker for the test; it sees only committed data, hence `transactional_db`."""
    with running_worker() as worker:
        yield worker


def wait_until(condition: Callable[[], object], *, timeout: float = WORKER_TIMEOUT) -> None:
    """Poll until `condition()` is true: work done by the worker thread arrives asynchronously."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout:.0f} s: {condition}")
        time.sleep(0.05)


# Worker and beat as child processes -----------------------------------------------------------
def _database_url() -> str:
    """This test process's test database (`test_patio`, or `test_patio_gw0` under xdist)."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=WORKER_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


StartProcess = Callable[..., subprocess.Popen]


@contextlib.contextmanager
def celery_processes(**environment: str) -> Iterator[StartProcess]:
    """Yield `start("worker", name, pool=…)` / `start("beat")`, which start a Celery process on this test's
    database and Redis, with `environment` added; every process started is stopped when the block
    ends. The queue is emptied before and after, so no message crosses from one test to the next.
    Needs committed data: use it under `django_db(transaction=True)`."""
    from patio.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.assemblies.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        **environment,
    }
    arguments = {
        "worker": [
            "worker",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        "beat": [
            "beat",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--max-interval=1",
        ],
    }
    processes: list[subprocess.Popen] = []

    def start(
        kind: Literal["worker", "beat"],
        name: str = "worker",
        *,
        pool: Literal["solo", "prefork"] = "solo",
    ) -> subprocess.Popen:
        """`pool="prefork"`: the task runs in a child the worker replaces when it dies, as in
        production (and time limits are enforced); "solo" runs it in the worker itself."""
        command = [sys.executable, "-m", "celery", "-A", "patio", *arguments[kind]]
        if kind == "worker":
            command += [f"--hostname={name}@%h", f"--pool={pool}"]
        process = subprocess.Popen(
            [*command, "--loglevel=WARNING"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        return process

    app.control.purge()
    try:
        yield start
    finally:
        for process in processes:
            _stop(process)
        app.control.purge()


def wait_for_worker(process: subprocess.Popen, name: str, *, timeout: float = 60) -> None:
    """Until the worker process started as `name` answers a ping: it is consuming."""
    from patio.celery import app

    def answers() -> bool:
        assert process.poll() is None, f"the worker {name} exited with {process.returncode}"
        replies = app.control.ping(timeout=0.5)
        return any(host.startswith(f"{name}@") for reply in replies for host in reply)

    wait_until(answers, timeout=timeout)


def wait_for_beat(process: subprocess.Popen, periodic_task: str, *, timeout: float = 60) -> None:
    """Until beat has sent `periodic_task` once. Its database scheduler saves the run count right
    after the first send, so a count of one means beat is up and firing on schedule."""
    from django_celery_beat.models import PeriodicTask

    def has_sent() -> bool:
        assert process.poll() is None, f"beat exited with {process.returncode}"
        return PeriodicTask.objects.get(name=periodic_task).total_run_count > 0

    wait_until(has_sent, timeout=timeout)


# A worker killed in the middle of sending ------------------------------------------------------
REQUEUE_EVERY_SECOND = "requeue abandoned sends"


def requeue_every_second() -> None:
    """Have beat run `patio.tasks.requeue_unsent_sends` every second (every 5 minutes in
    production), so a test sees a killed worker's abandoned claims sent again quickly."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.update_or_create(
        name=REQUEUE_EVERY_SECOND,
        defaults={"task": "patio.tasks.requeue_unsent_sends", "interval": every_second},
    )


def kill_mid_send(
    log: Path,
    *,
    queue: Callable[[], object],
    kill_after: int,
    done: Callable[[], bool],
    mail_delay: float = 0.3,
    reclaim_seconds: int = 3,
    **environment: str,
) -> list[tuple[str, str]]:
    """Start beat and a worker whose mail takes `mail_delay` s per email, `queue()` the sends,
    SIGKILL the worker once `kill_after` emails went out, start a second worker, and wait until
    `done()` plus a little room for a wrong second send. Returns (recipient, Message-ID) for
    every email handed to the mail server."""
    import signal

    from tests.assemblies.mail_log import read_messages

    requeue_every_second()
    with celery_processes(
        ASSEMBLY_MAIL_LOG=str(log),
        ASSEMBLY_MAIL_DELAY=str(mail_delay),
        DELIVERY_RECLAIM_SECONDS=str(reclaim_seconds),
        **environment,
    ) as start:
        start("beat")
        first = start("worker", "first")
        queue()
        wait_until(lambda: len(read_messages(log)) >= kill_after, timeout=60)
        os.kill(first.pid, signal.SIGKILL)  # no goodbye, no acknowledgement
        first.wait()
        start("worker", "second")
        wait_until(done, timeout=90)
        time.sleep(2 * reclaim_seconds)  # beat keeps re-queueing: room for a wrong second send
    return read_messages(log)


def assert_each_once(sent: list[tuple[str, str]], expected: dict[str, str]) -> None:
    """Every recipient of `expected` ({address: Message-ID}) got their email and nobody else got
    any. A repeat is allowed only as the same message (one Message-ID per recipient), and only
    once: the kill can fall between the mail server's acceptance and the mark."""
    assert {to for to, _ in sent} == set(expected), "lost, or sent to someone not due"
    ids: dict[str, set[str]] = {}
    for to, message_id in sent:
        ids.setdefault(to, set()).add(message_id)
    assert {to: found for to, found in ids.items() if len(found) > 1} == {}, "two messages"
    assert {to: next(iter(found)) for to, found in ids.items()} == expected
    assert len(sent) <= len(expected) + 1, "more than the one repeat a kill may cause"
