from accounts import services
from patio.celery import shared_task


@shared_task(family="housekeeping")
def purge_api_tokens() -> int:
    """Daily: forget tokens expired or revoked past the retention period. Safe to run twice."""
    return services.tokens_purge()
