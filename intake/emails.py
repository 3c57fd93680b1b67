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

from intake.models import HelpRequest
from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import message_id, plain_message

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
