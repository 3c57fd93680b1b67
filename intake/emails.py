"""The emails a requester gets: an acknowledgement, then an answer or a decline. Each goes out once.

A row is claimed (its *_at column set by a conditional UPDATE) before the email is sent, so a
second delivery of the task does nothing; a failed send releases the claim so the retry sends.
Every email is written in the language the requester used on the form.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from intake.models import HelpRequest


def _send(help_request: HelpRequest, template: str) -> None:
    with translation.override(help_request.language):
        context = {"help_request": help_request, "site_url": settings.SITE_URL}
        subject = render_to_string(f"intake/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"intake/email/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [help_request.contact_email])


def help_request_ack_send(*, help_request_id: int) -> bool:
    """Acknowledge a request, once. Returns whether an email went out."""
    claimed = HelpRequest.objects.filter(pk=help_request_id, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now()
    )
    if claimed != 1:
        return False
    help_request = HelpRequest.objects.get(pk=help_request_id)
    try:
        _send(help_request, "acknowledgement")
    except Exception:
        with transaction.atomic():
            HelpRequest.objects.filter(pk=help_request_id).update(acknowledged_at=None)
        raise
    return True


def help_request_reply_send(*, help_request_id: int) -> bool:
    """Email the triagers' answer or reason for declining, once."""
    claimed = HelpRequest.objects.filter(
        pk=help_request_id,
        reply_sent_at__isnull=True,
        status__in=[HelpRequest.Status.ANSWERED, HelpRequest.Status.DECLINED],
    ).update(reply_sent_at=timezone.now())
    if claimed != 1:
        return False
    help_request = HelpRequest.objects.get(pk=help_request_id)
    template = "answer" if help_request.status == HelpRequest.Status.ANSWERED else "decline"
    try:
        _send(help_request, template)
    except Exception:
        with transaction.atomic():
            HelpRequest.objects.filter(pk=help_request_id).update(reply_sent_at=None)
        raise
    return True
