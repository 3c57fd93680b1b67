from opendata import services
from patio.celery import shared_task


@shared_task(
    family="dumps", acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=3
)
def build_nightly_dump() -> int | None:
    """Nightly: the public network's dump for today, then the old ones pruned. Safe to run
    twice and to retry: the night is claimed once, and a failed night is claimed again."""
    dump = services.dump_build()
    return dump.version if dump else None
