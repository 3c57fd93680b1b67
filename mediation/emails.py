"""The emails of conflict resolution: "a new case needs a mediator" to each mediator a new case
goes to, and "your case has news" to its requester when a mediator moves it or sets its
meeting. Both are event emails (patio.emails) with a one-click unsubscribe for their kind.

They carry **nothing of the case** but a link: no names, no words of the requester, not even its
state. Whoever follows the link logs in and reads what they may. The sender checks again, when
the email goes, that the person may still read the case and wants the kind."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mediation import permissions
from mediation.models import CaseEvent, CaseNotice
from patio import delivery, emails
from patio.delivery import Outbox, deliver

NEW_CASE_EMAILS = "mediation_cases"
CASE_NEWS_EMAILS = "mediation_news"
NOTICES = Outbox(CaseNotice, taken="taken_at", settled="sent_at")


def register_kinds() -> None:
    emails.register_kind(
        NEW_CASE_EMAILS,
        label=_("New mediation cases"),
        description=_("For mediators: a new request for help with a conflict needs a mediator."),
        order=95,
    )
    emails.register_kind(
        CASE_NEWS_EMAILS,
        label=_("News of my mediation cases"),
        description=_(
            "When a mediator moves a case you opened or sets its meeting. The email only says "
            "there is news, with a link."
        ),
        order=96,
    )


def _send_notice(notice: CaseNotice) -> int:
    person, event = notice.person, notice.event
    case = event.case
    to_mediator = event.kind == CaseEvent.Kind.OPENED
    kind = NEW_CASE_EMAILS if to_mediator else CASE_NEWS_EMAILS
    if not person.email_address or not person.wants_email(kind) or person.user is None:
        return 0
    if not permissions.can_read_case(person.user, case):
        return 0
    if to_mediator and not permissions.can_mediate(person.user, case):
        return 0
    context = {"person": person, "case_url": settings.SITE_URL + case.get_absolute_url()}
    name = "new_case" if to_mediator else "news"
    with translation.override(person.language):
        subject = render_to_string(f"mediation/email/{name}_subject.txt", context)
        body = render_to_string(f"mediation/email/{name}_body.txt", context)
    emails.event_message(
        kind=kind,
        person_id=person.pk,
        to=person.email_address,
        subject=" ".join(subject.split()),
        body=body,
        language=person.language,
        message_id=emails.message_id(notice),
    ).send()
    return 1


def _rows() -> QuerySet[CaseNotice]:
    return CaseNotice.objects.select_related("person__user", "event__case")


def notices_send(*, event_id: int) -> int:
    """Send this event's notices that are not sent yet. Returns how many emails went."""
    ids = CaseNotice.objects.filter(event_id=event_id).values_list("pk", flat=True)
    return deliver(NOTICES, ids=list(ids), send=_send_notice, rows=_rows())


delivery.register(
    delivery.Sender(
        key="mediation.notices",
        outbox=NOTICES,
        send_ids=lambda ids: deliver(NOTICES, ids=ids, send=_send_notice, rows=_rows()),
        due="created_at",
    )
)
