"""The emails of offers and wants: a reply, to the poster; a saved search's digest, to the person
who saved it. Both are event emails (patio.emails): each carries a one-click unsubscribe for its
kind, and the sender checks the person's choice at send time.

Every email is claimed before it goes (patio.delivery): a reply's own row (`email_taken_at`,
settled by `email_sent_at`), a digest's entries together (`DigestEntry`, one row per saved
search and post, unique), so a task delivered twice or retried mails nobody twice. Each is
written in its reader's language, with times in their zone."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from members.models import Person
from offers.models import DigestEntry, Post, Reply, SavedSearch
from offers.selectors import posts_matching
from patio import delivery, emails
from patio.delivery import Outbox, deliver, deliver_together

REPLY_EMAILS = "offer_replies"
DIGEST_EMAILS = "offer_digests"
REPLIES = Outbox(Reply, taken="email_taken_at", settled="email_sent_at")
DIGESTS = Outbox(DigestEntry, taken="taken_at", settled="sent_at")
WINDOW = {
    SavedSearch.Frequency.DAILY: timedelta(days=1),
    SavedSearch.Frequency.WEEKLY: timedelta(days=7),
}


def register_kinds() -> None:
    emails.register_kind(
        REPLY_EMAILS,
        label=_("Replies to my offers and wants"),
        description=_(
            "When a member replies to something you posted. You still read every reply on "
            "your post's page."
        ),
        order=80,
    )
    emails.register_kind(
        DIGEST_EMAILS,
        label=_("Offers and wants I search for"),
        description=_("The daily or weekly digest of new posts matching your saved searches."),
        order=81,
    )


def _render(person: Person, template: str, context: dict[str, Any]) -> tuple[str, str]:
    zone = person.timezone or "UTC"
    with translation.override(person.language), timezone.override(zoneinfo.ZoneInfo(zone)):
        context = {**context, "person": person, "site_url": settings.SITE_URL}
        subject = render_to_string(f"offers/email/{template}_subject.txt", context)
        body = render_to_string(f"offers/email/{template}_body.txt", context)
    return " ".join(subject.split()), body


def _send(person: Person, kind: str, subject: str, body: str, message_id: str) -> None:
    emails.event_message(
        kind=kind,
        person_id=person.pk,
        to=person.email_address,
        subject=subject,
        body=body,
        language=person.language,
        message_id=message_id,
    ).send()


def _send_reply(reply: Reply) -> int:
    poster = reply.post.poster
    if not poster.email_address or not poster.wants_email(REPLY_EMAILS):
        return 0
    context = {
        "reply": reply,
        "post": reply.post,
        "post_url": settings.SITE_URL + reply.post.get_absolute_url(),
        "author_url": settings.SITE_URL + reply.author.get_absolute_url(),
    }
    subject, body = _render(poster, "reply", context)
    _send(poster, REPLY_EMAILS, subject, body, emails.message_id(reply))
    return 1


def reply_email_send(*, reply_id: int) -> bool:
    """Email this reply to its post's poster, once. Returns whether an email went out."""
    rows = Reply.objects.select_related(
        "post__poster__user", "post__poster__organisation", "author__organisation"
    )
    return bool(deliver(REPLIES, ids=[reply_id], send=_send_reply, rows=rows))


def _send_digest(search_id: int, entry_ids: list[int]) -> int:
    search = SavedSearch.objects.select_related("person__user").get(pk=search_id)
    person = search.person
    post_ids = DigestEntry.objects.filter(pk__in=entry_ids).values_list("post_id", flat=True)
    posts = list(
        Post.objects.filter(pk__in=list(post_ids), state=Post.State.OPEN)
        .select_related("poster__organisation", "organisation")
        .order_by("-created_at", "-id")
    )
    if not posts or not person.email_address or not person.wants_email(DIGEST_EMAILS):
        return 0
    items = [{"post": post, "link": settings.SITE_URL + post.get_absolute_url()} for post in posts]
    subject, body = _render(person, "digest", {"search": search, "items": items})
    message = emails.group_message_id(DigestEntry, entry_ids, "digest")
    _send(person, DIGEST_EMAILS, subject, body, message)
    return 1


def digest_send(*, search_id: int) -> int:
    """Send one saved search's unsent entries as one email (0 when there are none)."""
    return deliver_together(
        DIGESTS, where=Q(search_id=search_id), send=partial(_send_digest, search_id)
    )


def digests_send(*, frequency: str, now: Any = None) -> int:
    """Record each saved search's new matching posts (at most once each: the unique entry),
    then send every search's unsent entries together. Safe to run twice: entries already there
    are skipped, and sent ones are settled. Returns how many digests went out."""
    now = now or timezone.now()
    sent = 0
    searches = SavedSearch.objects.filter(frequency=frequency).prefetch_related("skills", "tags")
    for search in searches.order_by("pk"):
        since = max(search.created_at, now - WINDOW[SavedSearch.Frequency(frequency)] * 2)
        post_ids = posts_matching(search, since=since).values_list("pk", flat=True)
        DigestEntry.objects.bulk_create(
            [DigestEntry(search=search, post_id=pk) for pk in post_ids], ignore_conflicts=True
        )
        sent += digest_send(search_id=search.pk)
    return sent


def _digests_again(ids: list[int]) -> int:
    searches = set(DigestEntry.objects.filter(pk__in=ids).values_list("search_id", flat=True))
    return sum(digest_send(search_id=pk) for pk in sorted(searches))


delivery.register(
    delivery.Sender(
        key="offers.replies",
        outbox=REPLIES,
        send_ids=lambda ids: sum(reply_email_send(reply_id=pk) for pk in ids),
        due="created_at",
    )
)
delivery.register(delivery.Sender(key="offers.digests", outbox=DIGESTS, send_ids=_digests_again))
