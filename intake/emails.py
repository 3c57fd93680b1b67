"""The emails a requester gets: an acknowledgement, then an answer or a decline. Each goes out once.

Each email has its own claim column on the request (patio.delivery): set by a conditional UPDATE
before the email is sent, so a second delivery of the task does nothing; a failed send releases
the claim so the retry sends. Every email is written in the language the requester used on the form.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from intake.models import HelpRequest
from patio.delivery import Outbox, deliver

ACKNOWLEDGEMENTS = Outbox(HelpRequest, taken="acknowledged_at")
REPLIES = Outbox(HelpRequest, taken="reply_sent_at")


def _send(help_request: HelpRequest, template: str) -> int:
    with translation.override(help_request.language):
        context = {"help_request": help_request, "site_url": settings.SITE_URL}
        subject = render_to_string(f"intake/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"intake/email/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [help_request.contact_email])
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
    decided = Q(status__in=[HelpRequest.Status.ANSWERED, HelpRequest.Status.DECLINED])
    return bool(deliver(REPLIES, ids=[help_request_id], send=_reply, where=decided))
