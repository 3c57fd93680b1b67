"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise a folder (embedded mode)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

import celery
from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.exceptions import Ignore
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patio.settings")


class PatioTask(DjangoTask):  # type: ignore[type-arg]
    """Every task of ours (Django's task class, so `delay_on_commit` works): a message delivered
    more than TASK_MAX_DELIVERIES times is not run again but recorded as failed
    (patio.failed_tasks), so a task that kills its worker is not redelivered forever."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.request.called_directly:
            return super().__call__(*args, **kwargs)
        from patio import failed_tasks  # the models: loaded once Django is set up

        if not failed_tasks.delivery_allowed(self, args, kwargs):
            raise Ignore  # acknowledged: the broker forgets the message
        try:
            # The worker's tracer has pushed this message's request already; Task.__call__
            # would push one without its id and delivery info.
            return self.run(*args, **kwargs)
        finally:
            failed_tasks.delivery_finished(self)


app = Celery("patio", task_cls=PatioTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_failure.connect
def _record_failure(**kwargs: Any) -> None:
    from patio import failed_tasks

    failed_tasks.on_task_failure(**kwargs)


_P = ParamSpec("_P")
_R = TypeVar("_R")

# Every task ends: its family gives it a soft time limit (SoftTimeLimitExceeded is raised in the
# task, which may clean up) and a hard one (the pool kills the process running it). Seconds.
# The prefork pool enforces both; `--pool=solo` (the tests' worker processes) enforces neither.
TASK_TIME_LIMITS: dict[str, tuple[int, int]] = {
    "heartbeat": (10, 20),  # pings and beat's heartbeat: late is as good as lost
    # The outbox sweep (every 30 s): it stops publishing at its soft limit and gives the rest
    # back; killed at the hard one, well before OUTBOX_CLAIM_SECONDS frees what it had claimed.
    "relay": (40, 50),
    "matching": (120, 150),  # the solver stops itself after seconds; well under the run's heartbeat
    "alerts": (300, 360),  # an opened opportunity's fitting people
    "invitations": (120, 180),  # invitations to join, and to a team
    "notices": (120, 180),  # one email about one row: acknowledgements, replies, notices
    # A few webhook deliveries, each bounded by WEBHOOK_TIMEOUT_SECONDS per network step.
    "webhooks": (200, 240),
    # A few profiles registered with an outside index, each bounded by its request timeout.
    "registrations": (200, 240),
    "reminders": (300, 360),  # assemblies, consent rounds, pledges: claimed and sent in batches
    "exports": (600, 720),  # a person's data, built then mailed
    "digests": (1800, 2100),  # the weekly digest, to everyone who chose it
    "housekeeping": (600, 720),  # retention purges, participation, series, rounds closing
    # The nightly open-data dump: a million people's CSV rows and graph nodes. Its claim counts
    # as abandoned after an hour (opendata.services.ABANDONED_AFTER), after the hard limit.
    "dumps": (3000, 3300),
}


def time_limits(family: str) -> dict[str, int]:
    """The task options that bound a task of `family` (a KeyError names an unknown family)."""
    soft, hard = TASK_TIME_LIMITS[family]
    return {"soft_time_limit": soft, "time_limit": hard}


def shared_task(*, family: str, **options: Any) -> Callable[[Callable[_P, _R]], DjangoTask[_P, _R]]:
    """Celery's `shared_task`, typed as the task it makes here, with its family's time limits.

    Celery's Django fix-up makes `DjangoTask` the task class, so every task has
    `delay_on_commit`; the stubs only know the plain `Task`."""
    options = {**time_limits(family), **options}
    return cast("Callable[[Callable[_P, _R]], DjangoTask[_P, _R]]", celery.shared_task(**options))


@app.task(
    name="patio.ping",
    soft_time_limit=TASK_TIME_LIMITS["heartbeat"][0],
    time_limit=TASK_TIME_LIMITS["heartbeat"][1],
)
def ping() -> str:
    """Answers "pong": lets health checks and tests prove a worker is consuming."""
    return "pong"
