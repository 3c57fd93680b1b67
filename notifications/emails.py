"""The daily and weekly digests: the event emails a person chose to get together, one digest per
kind (so its one-click unsubscribe stops exactly that kind), in their language and timezone.

A held email is due once its person's digest moment has passed since it was held: 08:00 local
each day for the daily digest, 08:00 local on Monday for the weekly one. Beat runs the send every
hour; each digest claims all its rows in one conditional UPDATE (patio.delivery), so it goes once
whoever runs it, and a failed send releases them for the next run."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import partial

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Person
from notifications.models import Notification
from patio import delivery
from patio.delivery import Outbox, deliver_together
from patio.emails import event_message, group_message_id, kind_named

DIGESTS = Outbox(Notification, taken="digest_taken_at", settled="digest_sent_at")
HELD = ~Q(digest=Notification.Digest.NONE)
DIGEST_HOUR = 8  # local: the start of most people's working day


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def digest_moment(*, now: dt.datetime, zone: str, digest: str) -> dt.datetime:
    """The latest time, at or before `now`, that this digest was due in the zone: 08:00 local
    today (or yesterday, before 08:00), and for the weekly digest on the latest Monday."""
    local = now.astimezone(_zone(zone))
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= dt.timedelta(days=1)
    if digest == Notification.Digest.WEEKLY:
        moment -= dt.timedelta(days=moment.weekday())
    # Wall-clock arithmetic, then back to an aware time: correct across DST changes.
    naive = moment.replace(tzinfo=None)
    return naive.replace(tzinfo=_zone(zone)).astimezone(dt.UTC)


def _send_digest(person_id: int, kind: str, digest: str, ids: list[int]) -> int:
    person = Person.objects.select_related("user").get(pk=person_id)
    if not person.email_address or not person.wants_email(kind):
        return 0  # nowhere to write, or they stopped the kind since: settled unsent
    rows = list(Notification.objects.filter(pk__in=ids).order_by("created_at", "id"))
    zone = person.timezone or "UTC"
    kind_label = kind_named(kind)
    link = settings.SITE_URL + reverse("notifications:list")
    with translation.override(person.language), timezone.override(_zone(zone)):
        items = [
            {
                "title": row.title,
                "created_at": row.created_at,
                "link": settings.SITE_URL + row.url if row.url.startswith("/") else row.url,
            }
            for row in rows
        ]
        context = {
            "person": person,
            "kind": kind_label.label if kind_label else kind,
            "digest": digest,
            "items": items,
            "count": len(items),
            "link": link,
            "zone": zone,
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context)
        body = render_to_string("notifications/email/digest_body.txt", context)
    event_message(
        kind=kind,
        person_id=person.pk,
        to=person.email_address,
        subject=subject,
        body=body,
        language=person.language,
        message_id=group_message_id(Notification, ids, "digest", digest),
        url=link,
        listened=False,  # it is the digest of emails the list already holds
    ).send()
    return 1


def _groups(rows: Q) -> list[tuple[int, str, str, str]]:
    """(person, their timezone, kind, digest) of each digest with held rows matching `rows`."""
    return list(
        Notification.objects.filter(rows, HELD, digest_sent_at__isnull=True)
        .values_list("recipient_id", "recipient__timezone", "kind", "digest")
        .order_by("recipient_id", "kind", "digest")
        .distinct()
    )


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Send every digest that is due: each person's held emails of one kind and one digest,
    held before their latest digest moment, as one email. Returns how many digests went out."""
    now = now or timezone.now()
    sent = 0
    for person_id, zone, kind, digest in _groups(Q()):
        moment = digest_moment(now=now, zone=zone, digest=digest)
        where = HELD & Q(recipient_id=person_id, kind=kind, digest=digest, created_at__lt=moment)
        sent += deliver_together(
            DIGESTS, where=where, send=partial(_send_digest, person_id, kind, digest)
        )
    return sent


def _send_again(ids: list[int]) -> int:
    """Send again the digests a killed worker had claimed: each group's rows together."""
    sent = 0
    for person_id, _zone_name, kind, digest in _groups(Q(pk__in=ids)):
        where = HELD & Q(pk__in=ids, recipient_id=person_id, kind=kind, digest=digest)
        sent += deliver_together(
            DIGESTS, where=where, send=partial(_send_digest, person_id, kind, digest)
        )
    return sent


delivery.register(
    delivery.Sender(
        key="notifications.digests", outbox=DIGESTS, send_ids=_send_again, applies=lambda: HELD
    )
)
