"""Settings for the worker and beat processes the reminder tests start: the test database (from
DATABASE_URL), the assemblies URLs, mail appended to a file, and a short re-queue delay."""

import os

from patio.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.assemblies.mail_log.LineLogBackend"
ASSEMBLY_REMINDER_REQUEUE_SECONDS = int(os.environ.get("ASSEMBLY_REMINDER_REQUEUE_SECONDS", "3"))
# A killed worker's unacknowledged message comes back after this long (1 h in production).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
