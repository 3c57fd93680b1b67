"""Celery tasks: thin, they call services and emails."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from policies import emails, services

SEND_BATCH = 100


@shared_task(acks_late=True)
def close_rounds() -> int:
    """Beat, every minute: close the consent rounds whose time is up (each once)."""
    return len(services.rounds_close_due())


@shared_task(acks_late=True)
def dispatch_reminders() -> int:
    """Beat, every 15 minutes: claim the reminders that are due and queue their sending."""
    ids = services.reminders_dispatch()

    def enqueue() -> None:
        for start in range(0, len(ids), SEND_BATCH):
            send_reminders.delay(ids[start : start + SEND_BATCH])

    transaction.on_commit(enqueue)
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_reminders(reminder_ids: list[int]) -> int:
    return emails.reminders_send(reminder_ids=reminder_ids)
