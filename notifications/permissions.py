"""Who may do what with a notification: only its recipient, whoever else asks."""

from __future__ import annotations

from accounts.models import AnyUser
from members.permissions import person_of
from notifications.models import Notification


def can_mark_read(user: AnyUser | None, notification: Notification) -> bool:
    person = person_of(user)
    return person is not None and notification.recipient_id == person.pk
