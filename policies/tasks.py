"""Celery tasks: thin, they call services and emails."""

from __future__ import annotations

from patio.celery import shared_task
from patio.delivery import dispatch
from policies import emails, services


@shared_task(family="housekeeping", acks_late=True)
def close_rounds() -> int:
    """Beat, every minute: close the consent rounds whose time is up (each once)."""
    return len(services.rounds_close_due())


@shared_task(family="reminders", acks_late=True)
def dispatch_reminders() -> int:
    """Beat, every 15 minutes: claim the reminders that are due, and queue their sending (with the
    claims whose message was lost) once that commits. Safe to run twice at once."""
    return dispatch(claim=services.reminders_dispatch, send=send_reminders)


@shared_task(
    family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_reminders(reminder_ids: list[int]) -> int:
    return emails.reminders_send(reminder_ids=reminder_ids)
