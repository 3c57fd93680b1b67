from patio import health
from patio.celery import shared_task


@shared_task(family="heartbeat")
def beat_heartbeat() -> None:
    """Every minute, from beat: the row `/healthz` reads to tell that beat is alive."""
    health.heartbeat_record(name=health.BEAT)
