"""The writes of the sync app: a tombstone for each thing the API served that goes, and their
purge after `API_TOMBSTONE_RETENTION_DAYS`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model

from sync.models import Tombstone
from sync.resources import RESOURCES, Audience
from sync.selectors import tombstones_cutoff

_AUDIENCE_ATTR = "_sync_audience"


def _audience(obj: Model) -> Audience:
    return RESOURCES[type(obj)].audience(obj)


def tombstone_record(obj: Model, *, audience: Audience | None = None) -> Tombstone:
    """Record that `obj` is gone from the API (deleted, or erased and no longer itself)."""
    resource = RESOURCES[type(obj)]
    kind, user_id = audience or _audience(obj)
    return Tombstone.objects.create(
        resource=resource.name, object_id=resource.key(obj), audience=kind, user_id=user_id
    )


# The receivers (connected by SyncConfig.ready for the models of sync.resources). Who may see
# the tombstone is decided before the delete, while the row and those it points at still exist
# (a cascade deletes them in one go); the tombstone is written after, in the same transaction.
def on_pre_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    setattr(instance, _AUDIENCE_ATTR, _audience(instance))


def on_post_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    audience = getattr(instance, _AUDIENCE_ATTR, (Tombstone.Audience.MEMBERS, None))
    tombstone_record(instance, audience=audience)


def tombstones_purge(*, now: datetime | None = None) -> int:
    """Delete the tombstones older than the retention period. Returns how many went."""
    deleted, _by_model = Tombstone.objects.filter(deleted_at__lt=tombstones_cutoff(now)).delete()
    return deleted
