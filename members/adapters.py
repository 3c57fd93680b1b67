"""Joining Patio is by invitation: signup is open only to someone holding a usable invitation."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from members.middleware import browser_timezone
from members.services import (
    InvitationForSomeoneElse,
    InvitationUnusable,
    invitation_accept,
    invitation_find_usable,
    person_timezone_from_browser,
)

SESSION_KEY = "patio_invitation"


@dataclass(frozen=True)
class Site:
    """What allauth's emails call "the site": our name and public address, never the host and
    port a request happened to arrive on (`127.0.0.1:8000` behind a proxy or in the demo)."""

    name: str
    domain: str


def patio_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        super().send_mail(template_prefix, email, {**context, "current_site": patio_site()})

    def is_open_for_signup(self, request):
        token = request.session.get(SESSION_KEY)
        return bool(token) and invitation_find_usable(token) is not None

    def save_user(self, request, user, form, commit=True):
        token = request.session.pop(SESSION_KEY, None)
        try:
            with transaction.atomic():
                user = super().save_user(request, user, form, commit=True)
                person = invitation_accept(token=token, user=user)
                person_timezone_from_browser(person=person, zone_name=browser_timezone(request))
        except InvitationForSomeoneElse:
            messages.error(
                request,
                _(
                    "This invitation is for someone already listed in a co-op, under another "
                    "email address. Open the link again and sign up with the address it was "
                    "sent to."
                ),
            )
            raise ImmediateHttpResponse(redirect("home")) from None
        except InvitationUnusable:
            # Used in another tab meanwhile, or expired while the form was open: nothing is kept.
            messages.error(request, _("This invitation has expired or was already used."))
            raise ImmediateHttpResponse(redirect("home")) from None
        return user
