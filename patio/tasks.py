from patio import health, outbox
from patio.celery import shared_task


@shared_task(family="heartbeat")
def beat_heartbeat() -> None:
    """Every minute, from beat: the row `/healthz` reads to tell that beat is alive."""
    health.heartbeat_record(name=health.BEAT)


@shared_task(family="relay")
def outbox_sweep() -> int:
    """Every 30 s, from beat: relay the tasks whose relay after commit failed (patio.outbox)."""
    return outbox.sweep()
