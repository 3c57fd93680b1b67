"""The emails of discussions: a mention, and a new reply in a thread one follows. Both are
event emails (patio.emails), each with a one-click unsubscribe for its kind; the sender checks
the person's choice, and that they may still read the thread, when the email goes.

Each `Notice` row (one per comment and person, unique) is claimed before its email goes
(patio.delivery), so a task delivered twice mails nobody twice. Each email is written in its
reader's language, with times in their zone."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from discussions import permissions
from discussions.models import Notice
from patio import delivery, emails
from patio.delivery import Outbox, deliver

MENTION_EMAILS = "discussion_mentions"
REPLY_EMAILS = "discussion_replies"
NOTICES = Outbox(Notice, taken="taken_at", settled="sent_at")
KIND_OF = {Notice.Kind.MENTION: MENTION_EMAILS, Notice.Kind.REPLY: REPLY_EMAILS}


def register_kinds() -> None:
    emails.register_kind(
        MENTION_EMAILS,
        label=_("Mentions in discussions"),
        description=_("When someone names you with @ in a discussion you may read."),
        order=90,
    )
    emails.register_kind(
        REPLY_EMAILS,
        label=_("Replies in discussions I follow"),
        description=_(
            "New replies in the discussions you started, replied to or follow. Each "
            "discussion's page has a button to stop following it."
        ),
        order=91,
    )


def _render(notice: Notice, context: dict[str, Any]) -> tuple[str, str]:
    person = notice.person
    zone = person.timezone or "UTC"
    with translation.override(person.language), timezone.override(zoneinfo.ZoneInfo(zone)):
        context = {**context, "person": person, "notice": notice, "site_url": settings.SITE_URL}
        subject = render_to_string(f"discussions/email/{notice.kind}_subject.txt", context)
        body = render_to_string(f"discussions/email/{notice.kind}_body.txt", context)
    return " ".join(subject.split()), body


def _send_notice(notice: Notice) -> int:
    person, comment = notice.person, notice.comment
    kind = KIND_OF[Notice.Kind(notice.kind)]
    if comment.is_hidden or not person.email_address or not person.wants_email(kind):
        return 0
    if person.user is None or not permissions.can_view_thread(person.user, comment.thread):
        return 0
    context = {
        "comment": comment,
        "thread": comment.thread,
        "comment_url": settings.SITE_URL + comment.get_absolute_url(),
    }
    subject, body = _render(notice, context)
    emails.event_message(
        kind=kind,
        person_id=person.pk,
        to=person.email_address,
        subject=subject,
        body=body,
        language=person.language,
        message_id=emails.message_id(notice),
    ).send()
    return 1


def _rows() -> QuerySet[Notice]:
    return Notice.objects.select_related(
        "person__user", "comment__author__organisation", "comment__thread"
    )


def notices_send(*, comment_id: int) -> int:
    """Send this comment's notices that are not sent yet. Returns how many emails went."""
    ids = Notice.objects.filter(comment_id=comment_id).values_list("pk", flat=True)
    return deliver(NOTICES, ids=list(ids), send=_send_notice, rows=_rows())


delivery.register(
    delivery.Sender(
        key="discussions.notices",
        outbox=NOTICES,
        send_ids=lambda ids: deliver(NOTICES, ids=ids, send=_send_notice, rows=_rows()),
        due="created_at",
    )
)
