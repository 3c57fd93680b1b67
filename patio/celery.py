"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise a folder (embedded mode)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import celery
from celery import Celery

if TYPE_CHECKING:
    from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patio.settings")

app = Celery("patio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def shared_task(**options: Any) -> Callable[[Callable[_P, _R]], DjangoTask[_P, _R]]:
    """Celery's `shared_task`, typed as the task it makes here.

    Celery's Django fix-up makes `DjangoTask` the task class, so every task has
    `delay_on_commit`; the stubs only know the plain `Task`."""
    return cast("Callable[[Callable[_P, _R]], DjangoTask[_P, _R]]", celery.shared_task(**options))


@app.task(name="patio.ping")
def ping() -> str:
    """Answers "pong": lets health checks and tests prove a worker is consuming."""
    return "pong"
