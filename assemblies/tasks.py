"""Celery tasks: thin, they call services and emails."""

from __future__ import annotations

from assemblies import emails, services
from patio.celery import shared_task
from patio.delivery import dispatch


@shared_task(family="reminders", acks_late=True)
def dispatch_reminders() -> int:
    """Beat, every 5 minutes: claim the reminders that are due, and queue their sending (with the
    claims whose message was lost) once that commits.

    Safe to run twice at once: the claim rows are unique, and each row is sent by one sender."""
    return dispatch(claim=services.reminders_dispatch, send=send_reminders)


@shared_task(
    family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_reminders(delivery_ids: list[int]) -> int:
    return emails.reminders_send(delivery_ids=delivery_ids)


@shared_task(family="housekeeping", acks_late=True)
def extend_series() -> int:
    """Beat, daily: make sure each active series has its next three assemblies."""
    return services.series_extend_all(count=3)
