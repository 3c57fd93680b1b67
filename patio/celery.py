"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise a folder (embedded mode)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patio.settings")

app = Celery("patio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="patio.ping")
def ping() -> str:
    """Answers "pong": lets health checks and tests prove a worker is consuming."""
    return "pong"
