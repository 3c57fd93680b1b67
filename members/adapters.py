"""Joining Patio is by invitation: signup is open only to someone holding a usable invitation."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import login_throttle
from members.middleware import browser_timezone
from members.services import (
    InvitationForSomeoneElse,
    InvitationUnusable,
    invitation_accept,
    invitation_find_usable,
    person_timezone_from_browser,
)
from patio.http import client_ip

SESSION_KEY = "patio_invitation"


@dataclass(frozen=True)
class Site:
    """What allauth's emails call "the site": our name and public address, never the host and
    port a request happened to arrive on (`127.0.0.1:8000` behind a proxy or in the demo)."""

    name: str
    domain: str


def patio_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Growing delays after failures (accounts.login_throttle), instead of allauth's lock."""
        wait = login_throttle.wait_seconds(request, _login_of(credentials))
        if wait:
            raise forms.ValidationError(
                ngettext(
                    "Too many failed attempts. Try again in %(seconds)d second.",
                    "Too many failed attempts. Try again in %(seconds)d seconds.",
                    wait,
                )
                % {"seconds": wait},
                code="too_many_login_attempts",
            )

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_throttle.record_success(request, _login_of(credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login_throttle.record_failure(request, _login_of(credentials))

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
