"""Settings for the worker and beat processes the reminder tests start: the test database (from
DATABASE_URL), the assemblies URLs, mail appended to a file, a short re-queue delay, and an optional
slow publish."""

import os

from patio.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.assemblies.mail_log.LineLogBackend"
ASSEMBLY_REMINDER_REQUEUE_SECONDS = int(os.environ.get("ASSEMBLY_REMINDER_REQUEUE_SECONDS", "3"))
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
