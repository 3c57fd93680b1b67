from patio.celery import shared_task
from sync import services


@shared_task(family="housekeeping")
def purge_tombstones() -> int:
    """Daily: forget deletions older than API_TOMBSTONE_RETENTION_DAYS. Safe to run twice."""
    return services.tombstones_purge()
