"""Celery tasks of polls: thin, each calls a service, each safe to run twice (claims first)."""

from patio.celery import shared_task


@shared_task(family="housekeeping", acks_late=True)
def close_due_polls() -> int:
    """Every minute, from beat: close the polls whose closing time has passed."""
    from polls.services import polls_close_due

    return polls_close_due()


@shared_task(family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30)
def send_poll_reminders() -> int:
    """Every five minutes, from beat: claim the polls due a reminder and remind their
    non-voters, once each."""
    from polls.emails import reminders_send
    from polls.services import reminders_due

    sent = 0
    for poll_id in reminders_due():
        sent += reminders_send(poll_id=poll_id)
    # A round claimed earlier whose task died: its unsent rows are taken again by
    # patio's requeue_unsent_sends through the registered sender.
    return sent
