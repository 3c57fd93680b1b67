"""The emails a requester gets: an acknowledgement, then an answer or a decline. Each goes out once.

Each email has its own claim column on the request (patio.delivery): set by a conditional UPDATE
before the email is sent, so a second delivery of the task does nothing; a failed send releases
the claim so the retry sends. Every email is written in the language the requester used on the form.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from intake.models import HelpRequest, ProviderNotice
from members.models import Person
from patio import delivery, emails
from patio.delivery import Outbox, deliver
from patio.emails import message_id, plain_message

# The event email a provider co-op's admins get when a requester chose it (patio.emails kinds).
PROVIDER_EMAILS = "help_requests_for_my_coop"

PROVIDER_NOTICES = Outbox(ProviderNotice, taken="taken_at", settled="sent_at")
ACKNOWLEDGEMENTS = Outbox(HelpRequest, taken="acknowledgement_taken_at", settled="acknowledged_at")
REPLIES = Outbox(HelpRequest, taken="reply_taken_at", settled="reply_sent_at")
DECIDED = (HelpRequest.Status.ANSWERED, HelpRequest.Status.DECLINED)


def _send(help_request: HelpRequest, template: str) -> int:
    with translation.override(help_request.language):
        context = {"help_request": help_request, "site_url": settings.SITE_URL}
        subject = render_to_string(f"intake/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"intake/email/{template}_body.txt", context)
    plain_message(
        to=help_request.contact_email,
        subject=subject,
        body=body,
        message_id=message_id(help_request, template),
    ).send()
    return 1


def _reply(help_request: HelpRequest) -> int:
    answered = help_request.status == HelpRequest.Status.ANSWERED
    return _send(help_request, "answer" if answered else "decline")


def help_request_ack_send(*, help_request_id: int) -> bool:
    """Acknowledge a request, once. Returns whether an email went out."""
    return bool(
        deliver(
            ACKNOWLEDGEMENTS,
            ids=[help_request_id],
            send=lambda help_request: _send(help_request, "acknowledgement"),
        )
    )


def help_request_reply_send(*, help_request_id: int) -> bool:
    """Email the triagers' answer or reason for declining, once."""
    return bool(deliver(REPLIES, ids=[help_request_id], send=_reply, where=Q(status__in=DECIDED)))


def register_kinds() -> None:
    emails.register_kind(
        PROVIDER_EMAILS,
        label=_("Requests for help that name my co-op"),
        description=_(
            "When someone asks the network for help with software your co-op provides and "
            "chooses your co-op (co-op admins)."
        ),
        order=60,
    )


def provider_contacts(organisation_id: int) -> list[Person]:
    """Whom a provider co-op is told through: its admins who have an address to write to."""
    admins = Person.objects.filter(organisation_id=organisation_id, is_coop_admin=True)
    admins = admins.select_related("user").order_by("pk")
    return [
        person
        for person in admins
        if person.email_address and (person.user is None or person.user.is_active)
    ]


def _tell_provider(notice: ProviderNotice) -> int:
    """Email each contact of the co-op once; the notice's claim covers them all, and every
    email carries a stable Message-ID, so a resend after a crash is recognisable."""
    help_request = notice.help_request
    software = help_request.software
    software_url = settings.SITE_URL + software.get_absolute_url() if software else ""
    told = []
    for person in provider_contacts(notice.organisation_id):
        if not person.wants_email(PROVIDER_EMAILS):
            continue
        context = {
            "person": person,
            "help_request": help_request,
            "coop": notice.organisation,
            "software": software,
            "software_url": software_url,
        }
        with translation.override(person.language):
            subject = render_to_string("intake/email/provider_subject.txt", context)
            body = render_to_string("intake/email/provider_body.txt", context)
        emails.event_message(
            kind=PROVIDER_EMAILS,
            person_id=person.pk,
            to=person.email_address,
            subject=" ".join(subject.split()),
            body=body,
            language=person.language,
            message_id=message_id(notice, person.pk),
            url=software_url or settings.SITE_URL,
        ).send()
        told.append(person)
    notice.told.set(told)
    return len(told)


def _notice_rows():
    return ProviderNotice.objects.select_related("help_request__software", "organisation")


def provider_notices_send(*, help_request_id: int) -> int:
    """Tell the chosen providers of one request, each once. Returns how many emails went."""
    ids = ProviderNotice.objects.filter(help_request_id=help_request_id).values_list(
        "pk", flat=True
    )
    return deliver(PROVIDER_NOTICES, ids=list(ids), send=_tell_provider, rows=_notice_rows())


delivery.register(
    delivery.Sender(
        key="intake.provider_notices",
        outbox=PROVIDER_NOTICES,
        send_ids=lambda ids: deliver(
            PROVIDER_NOTICES, ids=ids, send=_tell_provider, rows=_notice_rows()
        ),
        due="created_at",
    )
)
delivery.register(
    delivery.Sender(
        key="intake.acknowledgements",
        outbox=ACKNOWLEDGEMENTS,
        send_ids=lambda ids: sum(help_request_ack_send(help_request_id=pk) for pk in ids),
        due="created_at",
    )
)
delivery.register(
    delivery.Sender(
        key="intake.replies",
        outbox=REPLIES,
        send_ids=lambda ids: sum(help_request_reply_send(help_request_id=pk) for pk in ids),
        applies=lambda: Q(status__in=DECIDED),
        due="handled_at",
    )
)
