from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def bell(request: HttpRequest) -> dict[str, object]:
    """The unread count for the header's bell: one COUNT query, made only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread": SimpleLazyObject(lambda: unread_count(user))}
