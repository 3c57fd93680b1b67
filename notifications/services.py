"""Writes of notifications: recording each event email as it is sent (and deciding whether it
goes now or waits for a digest), and marking them read.

Not audited: a notification is the platform's own record of an email, and reading it is the
reader's private state (as discussions' read marks are)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import AnyUser
from members.models import Person
from notifications.models import Notification
from notifications.permissions import can_mark_read
from notifications.selectors import notifications_for
from patio.emails import EventMessage

HELD: dict[str, str] = {
    Person.Notify.DAILY.value: Notification.Digest.DAILY.value,
    Person.Notify.WEEKLY.value: Notification.Digest.WEEKLY.value,
}


def _path(url: str) -> str:
    """A link of this site is kept as its path, so the list works on any host that serves it."""
    if url.startswith(settings.SITE_URL + "/"):
        return url.removeprefix(settings.SITE_URL)
    return url


@transaction.atomic
def notification_record(message: EventMessage) -> bool:
    """Record one event email in its recipient's list, as it is sent; return whether to email it
    now. The person's choice for its kind is read now, so a choice made after the email was
    queued holds: immediately sends it, a daily or weekly digest holds it (the digest task sends
    it later, with the others), never sends nothing and records nothing (its sender should not
    have built it: this is the last check).

    Safe to repeat: the email's stable Message-ID makes one row, and a repeat of an email that
    was held is held again (not sent), while a repeat of one sent now is sent (it is the retry
    of a failed send)."""
    person = Person.objects.filter(pk=message.person_id).first()
    if person is None:
        return True  # no one to keep a list for: the sender decided to send, so it goes
    choice = person.email_choice(message.kind)
    if choice == Person.Notify.NEVER:
        return False
    message_id = message.extra_headers.get("Message-ID", "")
    row, _created = Notification.objects.get_or_create(
        recipient=person,
        message_id=message_id,
        defaults={
            "kind": message.kind,
            "title": message.title[:300],
            "url": _path(message.url)[:500],
            "digest": HELD.get(choice, Notification.Digest.NONE),
        },
    )
    return row.digest == Notification.Digest.NONE


@transaction.atomic
def notification_mark_read(*, actor: AnyUser, notification: Notification) -> Notification:
    """Mark one of the reader's own notifications read (again changes nothing)."""
    if not can_mark_read(actor, notification):
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: AnyUser) -> int:
    """Mark every unread notification of the reader read; return how many were unread."""
    return notifications_for(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
