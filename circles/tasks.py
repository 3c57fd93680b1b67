from circles import services
from patio.celery import shared_task


@shared_task(family="housekeeping", acks_late=True)
def refresh_participation() -> int:
    """Store everyone's participation as the rule says today: memberships whose start or end
    date passed with no write change it. Idempotent: a second run changes nothing."""
    return services.participation_refresh()
