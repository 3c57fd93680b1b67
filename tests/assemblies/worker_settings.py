"""Settings for the worker and beat processes the worker tests start: the test database (from
DATABASE_URL), the assemblies URLs, mail appended to a file, a short re-queue delay, an optional
slow publish, and two test-only tasks that end badly."""

import os

from patio.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.assemblies.mail_log.LineLogBackend"
ASSEMBLY_REMINDER_REQUEUE_SECONDS = int(os.environ.get("ASSEMBLY_REMINDER_REQUEUE_SECONDS", "3"))
# A claim a killed worker left is taken again after this long (patio.delivery; 900 s in production).
DELIVERY_RECLAIM_SECONDS = int(os.environ.get("DELIVERY_RECLAIM_SECONDS", "900"))
# A killed worker's unacknowledged message comes back after this long (1 h in production).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# OUTBOX_PUBLISH_DELAY (seconds) makes each message this worker publishes take that long, like a
# slow broker, so a test can kill a worker in the middle of an outbox sweep.
if os.environ.get("OUTBOX_PUBLISH_DELAY"):
    import time

    from celery.signals import before_task_publish

    def _slow_publish(**kwargs: object) -> None:
        time.sleep(float(os.environ["OUTBOX_PUBLISH_DELAY"]))

    before_task_publish.connect(_slow_publish, weak=False)

# Test-only task: it kills the process running it, every time, after noting each run in the
# file PATIO_TEST_RUNS_LOG names (tests/patio/test_failed_tasks.py).
from patio.celery import app as _app  # noqa: E402


@_app.task(name="tests.kill_the_worker", soft_time_limit=5, time_limit=10)
def _kill_the_worker(note: str) -> None:
    with open(os.environ["PATIO_TEST_RUNS_LOG"], "a") as runs:
        runs.write(f"{note}\n")
    os._exit(1)


@_app.task(
    name="tests.always_fails",
    autoretry_for=(OSError,),
    max_retries=1,
    default_retry_delay=0,
    soft_time_limit=5,
    time_limit=10,
)
def _always_fails(note: str) -> None:
    raise OSError(f"the mail server refused {note}")
