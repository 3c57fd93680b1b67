"""Reads of a person's notifications: only ever their own."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import AnyUser
from members.permissions import person_of
from notifications.models import Notification


def notifications_for(user: AnyUser | None) -> QuerySet[Notification]:
    """The reader's own notifications, newest first; nobody else's, for anyone."""
    person = person_of(user)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=person.pk).order_by("-created_at", "-id")


def unread_count(user: AnyUser | None) -> int:
    """How many of the reader's notifications they have not read: one query."""
    return notifications_for(user).filter(read_at__isnull=True).count()
