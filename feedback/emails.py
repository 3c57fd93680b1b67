"""The emails of feedback: the invitation to answer, and one reminder to those who have not.
Both are of one kind ("Feedback asked of me"), with its one-click unsubscribe (patio.emails).

Each is claimed on the person's `FeedbackInvite` row (patio.delivery), so a task delivered
twice mails nobody twice: the invitation on `invite_*`, the reminder on `reminder_*`. Beat
claims a request's reminder round once (`services.reminders_due`), which marks who has not
answered as due; the sender checks again, when the email goes, that they still have not.
Each email is written in its reader's language, with times in their zone."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from feedback import permissions
from feedback.models import FeedbackInvite
from patio import delivery, emails
from patio.delivery import Outbox, deliver

FEEDBACK_EMAILS = "feedback_requests"
INVITATIONS = Outbox(FeedbackInvite, taken="invite_taken_at", settled="invite_sent_at")
REMINDERS = Outbox(FeedbackInvite, taken="reminder_taken_at", settled="reminded_at")


def register_kinds() -> None:
    emails.register_kind(
        FEEDBACK_EMAILS,
        label=_("Feedback asked of me"),
        description=_(
            "When someone you work with asks for your feedback, and one reminder if you "
            "haven't answered."
        ),
        order=95,
    )


def _rows() -> QuerySet[FeedbackInvite]:
    return FeedbackInvite.objects.select_related(
        "respondent__user", "request__asker", "request__project"
    )


def _send(invite: FeedbackInvite, *, template: str) -> int:
    person, request = invite.respondent, invite.request
    if invite.answered or not permissions.is_open(request):
        return 0
    if person.user is None or not person.user.is_active:
        return 0  # they could not sign in to answer
    if not person.email_address or not person.wants_email(FEEDBACK_EMAILS):
        return 0
    context: dict[str, Any] = {
        "person": person,
        "request": request,
        "asker": request.asker,
        "link": settings.SITE_URL + reverse("feedback:answer", args=[request.pk]),
    }
    zone = zoneinfo.ZoneInfo(person.timezone or "UTC")
    with translation.override(person.language), timezone.override(zone):
        subject = render_to_string(f"feedback/email/{template}_subject.txt", context)
        body = render_to_string(f"feedback/email/{template}_body.txt", context)
    emails.event_message(
        kind=FEEDBACK_EMAILS,
        person_id=person.pk,
        to=person.email_address,
        subject=" ".join(subject.split()),
        body=body,
        language=person.language,
        message_id=emails.message_id(invite, template),
    ).send()
    return 1


def _send_invitation(invite: FeedbackInvite) -> int:
    return _send(invite, template="invitation")


def _send_reminder(invite: FeedbackInvite) -> int:
    return _send(invite, template="reminder")


def invitations_send(*, request_id: int) -> int:
    """Send this request's invitations that are not sent yet. Returns how many emails went."""
    ids = FeedbackInvite.objects.filter(request_id=request_id).values_list("pk", flat=True)
    return deliver(INVITATIONS, ids=list(ids), send=_send_invitation, rows=_rows())


def reminders_send(*, request_id: int) -> int:
    """Remind, once each, those of this request due a reminder (they had not answered when its
    round was claimed). Returns how many emails went."""
    ids = FeedbackInvite.objects.filter(
        request_id=request_id, reminder_due_at__isnull=False
    ).values_list("pk", flat=True)
    return deliver(
        REMINDERS,
        ids=list(ids),
        send=_send_reminder,
        where=Q(answered_at__isnull=True),
        rows=_rows(),
    )


delivery.register(
    delivery.Sender(
        key="feedback.invitations",
        outbox=INVITATIONS,
        send_ids=lambda ids: deliver(INVITATIONS, ids=ids, send=_send_invitation, rows=_rows()),
        due="created_at",
    )
)
delivery.register(
    delivery.Sender(
        key="feedback.reminders",
        outbox=REMINDERS,
        send_ids=lambda ids: deliver(REMINDERS, ids=ids, send=_send_reminder, rows=_rows()),
        applies=lambda: Q(reminder_due_at__isnull=False, answered_at__isnull=True),
        due="reminder_due_at",
    )
)
