"""Celery tasks of discussions: thin, each calls a sender, safe to run twice (every notice is
claimed before it goes, patio.delivery)."""

from patio.celery import shared_task


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_notices(comment_id: int) -> int:
    """Email the people a comment mentions and its thread's followers, once each."""
    from discussions.emails import notices_send

    return notices_send(comment_id=comment_id)
