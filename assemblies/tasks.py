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


@shared_task(family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30)
def send_draft_notices(assembly_id: int) -> int:
    """Tell those present that the draft minutes are up. Each email goes once (a claim per
    attendance row), so a second delivery of the task sends nothing."""
    return emails.draft_notices_send(assembly_id=assembly_id)


@shared_task(family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30)
def send_correction_notice(correction_id: int) -> bool:
    """Tell a suggestion's author what became of it, once."""
    return emails.correction_notice_send(correction_id=correction_id)


@shared_task(family="housekeeping", acks_late=True)
def approve_due_minutes() -> int:
    """Beat, hourly: approve the minutes whose correction time is over (each claimed once)."""
    return len(services.minutes_approve_due())
