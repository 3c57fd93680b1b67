from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.models import Invitation


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation email if it is still due. Returns whether an email went out.

    The row is claimed (email_sent_at set) before sending, so a second delivery of the task does
    nothing; if sending fails the claim is released and the task's retry sends it.
    """
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        email_sent_at__isnull=True,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(email_sent_at=now)
    if claimed != 1:
        return False
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    try:
        with translation.override(invitation.language):
            context = {
                "invitation": invitation,
                "link": settings.SITE_URL + invitation.get_absolute_url(),
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string("members/email/invitation_subject.txt", context).strip()
            body = render_to_string("members/email/invitation_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except Exception:
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation_id).update(email_sent_at=None)
        raise
    return True
