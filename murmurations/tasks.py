"""Celery tasks for Murmurations: thin, each calls a service. Every one is safe to run twice, as the
outbox asks (patio.outbox): a registration is claimed in the database before its request."""

from patio.celery import shared_task


@shared_task(family="registrations", acks_late=True)
def sync_registrations(ids: list[int]) -> int:
    """Register or remove these profiles with the index, each once it is claimed."""
    # Imported here: the services queue this task, so they import this module.
    from murmurations.services import registrations_sync

    return registrations_sync(ids=ids)


@shared_task(family="housekeeping", acks_late=True)
def dispatch_due() -> int:
    """Every minute, from beat: queue the registrations due for another attempt."""
    from murmurations.services import registrations_dispatch_due

    return registrations_dispatch_due()


@shared_task(family="registrations", acks_late=True)
def check_statuses(ids: list[int] | None = None) -> int:
    """Every five minutes, from beat (or for these rows, from the admin): read what the index
    made of the profiles it was sent."""
    from murmurations.services import registrations_check

    return registrations_check(ids=ids)


@shared_task(family="housekeeping", acks_late=True)
def reconcile() -> int:
    """Daily: ask again for the profiles a write outside the services left behind."""
    from murmurations.services import profiles_reconcile

    return profiles_reconcile()
