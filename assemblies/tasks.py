"""Celery tasks: thin, they call services and emails."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from assemblies import emails, services

SEND_BATCH = 100


@shared_task(acks_late=True)
def dispatch_reminders() -> int:
    """Beat, every 5 minutes: claim the reminders that are due and queue their sending.

    Safe to run twice at once: the claim rows are unique, each run sends only what it claimed."""
    ids = services.reminders_dispatch()

    def enqueue() -> None:
        for start in range(0, len(ids), SEND_BATCH):
            send_reminders.delay(ids[start : start + SEND_BATCH])

    transaction.on_commit(enqueue)
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_reminders(delivery_ids: list[int]) -> int:
    return emails.reminders_send(delivery_ids=delivery_ids)


@shared_task(acks_late=True)
def extend_series() -> int:
    """Beat, daily: make sure each active series has its next three assemblies."""
    return services.series_extend_all(count=3)
