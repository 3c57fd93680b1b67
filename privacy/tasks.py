from patio.celery import shared_task
from privacy import emails, exports


@shared_task(
    family="exports", acks_late=True, autoretry_for=(OSError,), retry_backoff=10, max_retries=5
)
def build_data_export(export_id: int) -> bool:
    """Prepare one download, then email its owner. Safe to retry and to run twice: the build
    is claimed once, and the email once."""
    try:
        exports.data_export_build(export_id=export_id)
    except Exception:
        exports.data_export_fail(export_id=export_id)
        raise
    return emails.data_export_ready_send(export_id=export_id)


@shared_task(family="housekeeping", acks_late=True)
def expire_data_exports() -> int:
    """Daily: delete the downloads past their expiry date. Idempotent."""
    return exports.data_exports_expire()


@shared_task(family="notices", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_erasure_notice(
    to: str, language: str, by_coop_admin: bool, erasure_id: int | None = None
) -> int:
    """Tell a person their account was erased. The address is passed, not an id: once the
    erasure commits, the platform no longer holds it anywhere. `erasure_id` (the Erasure row)
    gives the email its stable Message-ID; messages queued before it existed carry none."""
    return emails.erasure_notice_send(
        to=to, language=language, by_coop_admin=by_coop_admin, erasure_id=erasure_id
    )
