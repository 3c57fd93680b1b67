from celery import shared_task

from projects import emails, services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_fitting_people(opportunity_id: int) -> int:
    """Record who an opened opportunity fits and email those who want it now.

    Idempotent: safe to retry and to run twice; nobody is mailed twice. Returns emails sent."""
    services.notifications_record(opportunity_id=opportunity_id)
    return emails.opportunity_notifications_send(opportunity_id=opportunity_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_weekly_digest() -> int:
    """The weekly email of opportunities that fit, for people who chose the digest."""
    return emails.weekly_digest_send()
