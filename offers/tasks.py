"""Celery tasks of offers and wants: thin, each calls a service or a sender, and each is safe to
run twice (the rows they send are claimed first, patio.delivery)."""

from patio.celery import shared_task


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_reply_email(reply_id: int) -> bool:
    """Email a reply to the poster, once."""
    from offers.emails import reply_email_send

    return reply_email_send(reply_id=reply_id)


@shared_task(family="housekeeping", acks_late=True)
def expire_posts() -> int:
    """Daily, from beat: close the open posts whose end date has passed."""
    from offers.services import posts_expire

    return posts_expire()


@shared_task(family="digests", acks_late=True)
def send_digests(frequency: str) -> int:
    """Daily and weekly, from beat: each saved search's new matching posts, once each."""
    from offers.emails import digests_send

    return digests_send(frequency=frequency)
