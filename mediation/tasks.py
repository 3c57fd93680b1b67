"""Celery tasks of conflict resolution: thin, each calls a sender or a service, safe to run
twice (every notice is claimed before it goes, patio.delivery)."""

from patio.celery import shared_task


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_case_notices(event_id: int) -> int:
    """Tell the mediators of a new case, or its requester of news, once each."""
    from mediation.emails import notices_send

    return notices_send(event_id=event_id)


@shared_task(family="housekeeping", acks_late=True)
def forget_ended_cases() -> int:
    """Daily: forget the cases that ended longer ago than the retention period."""
    from mediation.services import cases_forget_ended

    return cases_forget_ended()
