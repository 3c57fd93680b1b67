"""Celery tasks for webhooks: thin, each calls a service (or the pause email). Every one is safe to
run twice, as the outbox asks (patio.outbox): the work is claimed in the database first."""

from patio.celery import shared_task
from webhooks import emails


@shared_task(family="webhooks", acks_late=True)
def fan_out(event_id: int) -> int:
    """An event was committed: write its deliveries and queue their sends."""
    # Imported here: the services queue the tasks below, so they import this module.
    from webhooks.services import event_fan_out

    return event_fan_out(event_id=event_id)


@shared_task(family="webhooks", acks_late=True)
def send_deliveries(ids: list[int]) -> int:
    """One attempt for each of these deliveries that is due; each is claimed before it goes."""
    from webhooks.services import deliveries_send

    return deliveries_send(ids=ids)


@shared_task(family="housekeeping", acks_late=True)
def dispatch_due() -> int:
    """Every 30 s, from beat: queue the attempts that are due (retries, lost messages)."""
    from webhooks.services import deliveries_dispatch_due

    return deliveries_dispatch_due()


@shared_task(
    family="notices", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_pause_notices(ids: list[int]) -> int:
    """Tell the owners of these paused subscriptions, once per pause."""
    return emails.pause_notices_send(ids=ids)


@shared_task(family="housekeeping", acks_late=True)
def prune_events() -> int:
    """Daily: forget events past WEBHOOK_RETENTION_DAYS, with their delivery logs."""
    from webhooks.services import events_prune

    return events_prune()
