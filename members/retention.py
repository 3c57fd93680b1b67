"""What the network forgets, and when. Tasks call these; they queue nothing themselves."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from members.models import Invitation


def invitations_purge(*, now: datetime | None = None) -> int:
    """Delete invitations used, revoked or expired more than `INVITATION_RETENTION_DAYS` ago:
    they hold an address and a name the network no longer needs. Returns how many went. A
    pending invitation stays whatever its age; the audit log keeps who invited whom."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.INVITATION_RETENTION_DAYS)
    done = Q(accepted_at__lt=cutoff) | Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    _deleted, by_model = Invitation.objects.filter(done).delete()
    return by_model.get(Invitation._meta.label, 0)
