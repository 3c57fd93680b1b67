from patio import delivery, health, outbox
from patio.celery import shared_task


@shared_task(family="heartbeat")
def beat_heartbeat() -> None:
    """Every minute, from beat: the row `/healthz` reads to tell that beat is alive."""
    health.heartbeat_record(name=health.BEAT)


@shared_task(family="relay")
def outbox_sweep() -> int:
    """Every 30 s, from beat: relay the tasks whose relay after commit failed (patio.outbox)."""
    return outbox.sweep()


@shared_task(family="housekeeping")
def requeue_unsent_sends() -> dict[str, int]:
    """Every 5 minutes, from beat: queue again the emails a killed worker claimed and never marked
    (patio.delivery), so each goes at least once."""
    return delivery.requeue_unsent()


@shared_task(
    family="reminders", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_again(sender: str, ids: list[int]) -> int:
    """Send these abandoned rows of one registered sender (patio.delivery.Sender)."""
    return delivery.sender_named(sender).send_ids(ids)
