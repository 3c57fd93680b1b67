"""A real Celery worker for integration tests: a thread of this process consuming the real Redis.

The worker thread opens its own database connection, so tests that use it see only committed data:
the fixture asks for `transactional_db`. Mail sent by a task lands in `django.core.mail.outbox`
(the locmem backend is process memory, shared with the thread).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest
from django.conf import settings

WORKER_TIMEOUT = 10.0


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
