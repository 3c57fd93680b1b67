from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from audit.context import token_in_use
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
    confidential: bool = False,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction, so both land or neither.

    During a request authenticated by an API token, the event records that token too. A
    `confidential` event (a mediation case's) is shown in no list of the log: write into it
    nothing that the event's own readers would not see, and only what names no one."""
    token = token_in_use()
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        token_id=token.id if token else None,
        token_prefix=token.prefix if token else "",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        before=before,
        after=after,
        confidential=confidential,
    )
