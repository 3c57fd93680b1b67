from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from audit.models import AuditEvent

if TYPE_CHECKING:
    # Only for the type: the actor column already points at the user model through settings.
    from accounts.models import AnyUser


def audit_record(
    *,
    actor: AnyUser | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction, so both land or neither."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        before=before,
        after=after,
    )
