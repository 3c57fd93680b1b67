from members import emails, retention
from patio.celery import shared_task


@shared_task(
    family="invitations", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_invitation(invitation_id: int, token: str | None = None) -> bool:
    """Email an invitation link, once. Safe to retry and to run twice.

    `token` is the link's plain token, which only this message carries (the row keeps its hash);
    without it the email carries a signed link."""
    return emails.invitation_email_send(invitation_id=invitation_id, token=token)


@shared_task(family="housekeeping")
def purge_invitations() -> int:
    """Daily: forget invitations used, revoked or expired past the retention period."""
    return retention.invitations_purge()


@shared_task(family="housekeeping")
def count_network_glance() -> int:
    """Count the network at a glance again, for the home page (members.glance). Safe to run
    twice: the second count overwrites the first."""
    from members import glance

    return glance.glance_count()["people"]
