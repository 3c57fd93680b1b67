from notifications import emails
from patio.celery import shared_task


@shared_task(
    family="digests", acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5
)
def send_digests() -> int:
    """Beat, hourly: the daily and weekly digests now due in each person's timezone.
    Idempotent: each digest's rows are claimed together, so it goes once."""
    return emails.digests_send()
