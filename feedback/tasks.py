"""Celery tasks of feedback: thin, each calls the emails module, each safe to run twice
(every email is claimed on its row first)."""

from patio.celery import shared_task


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_invitations(request_id: int) -> int:
    """Email each person a request asks and who has not had its invitation yet."""
    from feedback.emails import invitations_send

    return invitations_send(request_id=request_id)


@shared_task(family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30)
def send_feedback_reminders() -> int:
    """Every 15 minutes, from beat: claim the requests due their reminder and remind those who
    have not answered, once each."""
    from feedback.emails import reminders_send
    from feedback.services import reminders_due

    sent = 0
    for request_id in reminders_due():
        sent += reminders_send(request_id=request_id)
    # A round claimed earlier whose task died: its unsent rows are taken again by patio's
    # requeue_unsent_sends through the registered sender (`reminder_due_at` says since when).
    return sent
