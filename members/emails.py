from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.models import Invitation
from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import message_id, plain_message

INVITATIONS = Outbox(Invitation, taken="email_taken_at", settled="email_sent_at")


def _send(invitation: Invitation, token: str | None = None) -> int:
    # A plain token that is not this invitation's (a forged or mixed-up message) is not sent.
    if token is not None and Invitation.hash_token(token) != invitation.token_hash:
        token = None
    path = Invitation.link_for(token) if token else invitation.get_absolute_url()
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "link": settings.SITE_URL + path,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("members/email/invitation_subject.txt", context).strip()
        body = render_to_string("members/email/invitation_body.txt", context)
    plain_message(
        to=invitation.email, subject=subject, body=body, message_id=message_id(invitation)
    ).send()
    return 1


def _still_due() -> Q:
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def invitation_email_send(*, invitation_id: int, token: str | None = None) -> bool:
    """Send the invitation email if it is still due (not accepted, revoked or expired). Returns
    whether an email went out.

    Claimed before sending (patio.delivery), so a second delivery of the task does nothing; if
    sending fails the claim is released and the task's retry sends it. Sent again after a killed
    worker, it has no plain token (only the first message carried it) and links with the signed
    link instead, which opens the same invitation."""
    return bool(
        deliver(
            INVITATIONS,
            ids=[invitation_id],
            send=partial(_send, token=token),
            where=_still_due(),
            rows=Invitation.objects.select_related("organisation", "invited_by"),
        )
    )


delivery.register(
    delivery.Sender(
        key="members.invitations",
        outbox=INVITATIONS,
        send_ids=lambda ids: sum(invitation_email_send(invitation_id=pk) for pk in ids),
        applies=_still_due,
        due="created_at",
    )
)
