from fund import emails, services
from patio.celery import shared_task
from patio.dates import network_today
from patio.delivery import dispatch


@shared_task(
    family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_pledge_reminders(reminder_ids: list[int]) -> int:
    """Email each due or overdue reminder to its co-op's admins, once. Returns emails sent."""
    return sum(emails.pledge_reminder_send(reminder_id=pk) for pk in reminder_ids)


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_contribution_decline_notice(contribution_id: int) -> bool:
    """Email a declined contribution's recorder the reason, once. Safe to retry and to run twice."""
    return emails.contribution_decline_notice_send(contribution_id=contribution_id)


@shared_task(family="reminders", acks_late=True)
def queue_pledge_reminders() -> int:
    """Daily: create the reminder rows due today (the database keeps each to one) and queue
    their emails once that commits. Idempotent: a second run queues only reminders still unsent,
    and a reminder queued twice is sent once."""
    return dispatch(
        claim=lambda: services.pledge_reminders_due(today=network_today()),
        send=send_pledge_reminders,
    )
