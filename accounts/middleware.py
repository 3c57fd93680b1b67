"""What a sign-in must keep up: an idle timeout, and two-factor authentication for the roles that
guard other people's data or money (accounts.roles).

Both read the session, which `remember_sign_in` fills at login, so an ordinary page costs no
query. Only someone who holds such a role and has no second factor yet pays for a check, on the
way to setting one up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from accounts.roles import elevated_roles, labels
from patio.api import problem_response

ROLES_KEY = "patio_elevated_roles"
SEEN_KEY = "patio_seen_at"
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# Where someone who must set up two-factor may still go: setting it up, and leaving.
OPEN_WHILE_SETTING_UP = {
    "account_logout",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "set_language",
    "javascript-catalog",
    "healthz",
}
# How often the last-seen time is written back: not on every request.
SEEN_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="accounts-remember-sign-in")
def remember_sign_in(
    sender: object, request: HttpRequest | None, user: object, **kwargs: object
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[ROLES_KEY] = elevated_roles(user)
    request.session[SEEN_KEY] = int(time.time())


def idle_limit(request: HttpRequest) -> int:
    if request.session.get(ROLES_KEY):
        return int(settings.SESSION_IDLE_TIMEOUT_ELEVATED)
    return int(settings.SESSION_IDLE_TIMEOUT)


def needs_second_factor(request: HttpRequest) -> bool:
    """Holds a guarding role now and has no second factor: checked afresh, since losing the
    role lifts the requirement."""
    if not request.session.get(ROLES_KEY):
        return False
    if is_mfa_enabled(request.user, types=SECOND_FACTORS):
        return False
    request.session[ROLES_KEY] = elevated_roles(request.user)
    return bool(request.session[ROLES_KEY])


def _url_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).url_name or ""
    except Resolver404:
        return ""


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class SignInRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            if ROLES_KEY not in request.session:  # a session from before these rules
                remember_sign_in(None, request, request.user)
            refused = self._idle(request) or self._second_factor(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _idle(self, request: HttpRequest) -> HttpResponseBase | None:
        now = int(time.time())
        seen = int(request.session.get(SEEN_KEY, now))
        if now - seen <= idle_limit(request):
            if now - seen >= SEEN_RESOLUTION:
                request.session[SEEN_KEY] = now
            return None
        logout(request)
        if _is_api(request):
            return None  # carries on as a visitor: the API answers 401 where a login is needed
        messages.info(request, _("You were signed out after a while without activity."))
        login = reverse("account_login")
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{login}?{urlencode({'next': next_url})}")

    def _second_factor(self, request: HttpRequest) -> HttpResponseBase | None:
        if not settings.MFA_REQUIRED:
            return None
        name = _url_name(request)
        if name.startswith("mfa_") or name in OPEN_WHILE_SETTING_UP:
            return None
        if not needs_second_factor(request):
            return None
        if _is_api(request):
            return problem_response(
                403,
                "two_factor_required",
                _("Two-factor authentication required"),
                _("Your role needs two-factor authentication: set it up in your account first."),
            )
        messages.warning(
            request,
            _(
                "Your role in the network (%(roles)s) needs two-factor authentication. Set it "
                "up to go on."
            )
            % {"roles": labels(request.session[ROLES_KEY])},
        )
        return HttpResponseRedirect(reverse("mfa_index"))
