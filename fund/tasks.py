from celery import shared_task

from fund import emails, services
from patio.dates import network_today


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_pledge_reminder(reminder_id: int) -> int:
    """Email one due or overdue reminder to the co-op's admins, once."""
    return emails.pledge_reminder_send(reminder_id=reminder_id)


@shared_task(acks_late=True)
def queue_pledge_reminders() -> int:
    """Daily: create the reminder rows due today (the database keeps each to one) and queue
    their emails. Idempotent: a second run queues only reminders still unsent."""
    ids = services.pledge_reminders_due(today=network_today())
    for reminder_id in ids:
        send_pledge_reminder.delay(reminder_id)
    return len(ids)
