from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from members.permissions import is_member, is_network_admin
from sync.models import Tombstone

if TYPE_CHECKING:
    from accounts.models import AnyUser


def tombstones_visible_to(user: AnyUser | None) -> QuerySet[Tombstone]:
    """Public tombstones for everyone; members' for members; private ones for network admins
    and their owner."""
    tombstones = Tombstone.objects.all()
    if is_network_admin(user):
        return tombstones
    visible = Q(audience=Tombstone.Audience.PUBLIC)
    if is_member(user):
        visible |= Q(audience=Tombstone.Audience.MEMBERS)
    if user is not None and user.is_authenticated:
        visible |= Q(audience=Tombstone.Audience.PRIVATE, user_id=user.pk)
    return tombstones.filter(visible)


def tombstones_cutoff(now: datetime | None = None) -> datetime:
    """Before this instant the feed may have forgotten deletions (API_TOMBSTONE_RETENTION_DAYS)."""
    return (now or timezone.now()) - timedelta(days=settings.API_TOMBSTONE_RETENTION_DAYS)
