from intake import emails
from patio.celery import shared_task


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_help_request_ack(help_request_id: int) -> bool:
    """Acknowledge a request for help, once. Safe to retry and to run twice."""
    return emails.help_request_ack_send(help_request_id=help_request_id)


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_help_request_reply(help_request_id: int) -> bool:
    """Email the answer or the reason for declining, once. Safe to retry and to run twice."""
    return emails.help_request_reply_send(help_request_id=help_request_id)


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_help_request_provider_notices(help_request_id: int) -> int:
    """Tell the contacts of the providers a requester chose, once each. Safe to retry."""
    return emails.provider_notices_send(help_request_id=help_request_id)


@shared_task(family="housekeeping", acks_late=True)
def anonymise_closed_help_requests() -> int:
    """Daily: closed requests past their retention period lose who sent them. Idempotent."""
    # Imported here: the services module queues the email tasks above, so it imports this one.
    from intake.services import help_requests_anonymise_closed

    return help_requests_anonymise_closed()
