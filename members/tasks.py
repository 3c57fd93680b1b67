from members import emails
from patio.celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_invitation(invitation_id: int) -> bool:
    """Email an invitation link, once. Safe to retry and to run twice."""
    return emails.invitation_email_send(invitation_id=invitation_id)
