"""Re-authentication before a sensitive change on a page.

`reauthentication_required` wraps a view so that a POST from someone who has not given their
password (or a second factor) within `ACCOUNT_REAUTHENTICATION_TIMEOUT` (10 minutes) is sent to
allauth's re-authentication page first; allauth then replays the suspended POST. GETs pass, so a
form still shows. Someone signed out goes to the login page.

Use it on pages that make tokens, grant roles or change money settings::

    @reauthentication_required
    def fund_settings(request): ...

    # Only when the POST grants the role:
    @reauthentication_required(when=lambda request, **kw: request.POST.get("role") == "coordinator")
    def membership_change(request, slug, pk): ...

    class FundSettingsView(ReauthenticationRequiredMixin, FormView): ...

The API's door is `require_recent_reauthentication(request)`, called by an API write before
it makes or revokes a token or grants a role that guards people's data or money. A caller
signed in with a session must have re-authenticated on the site within the timeout, else a
403 problem of type `…/reauthentication-required`. A bearer token is refused outright (a 403
problem of type `…/session-required`): a token has no password to give, so a stolen one must
not mint more tokens or hand out power.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from allauth.account.decorators import reauthentication_required as _allauth_reauthentication
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request

View = Callable[..., HttpResponseBase]
When = Callable[..., bool]


@overload
def reauthentication_required(view: View, *, when: When | None = None) -> View: ...
@overload
def reauthentication_required(
    view: None = None, *, when: When | None = None
) -> Callable[[View], View]: ...
def reauthentication_required(
    view: View | None = None, *, when: When | None = None
) -> View | Callable[[View], View]:
    """Sign in first; then, before a POST reaches `view` (and `when(request, *args, **kwargs)`
    holds, if given), re-authenticate unless that was done within the timeout."""

    def decorator(view: View) -> View:
        guarded = _allauth_reauthentication(view, allow_get=True)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if when is None or when(request, *args, **kwargs):
                return guarded(request, *args, **kwargs)
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator(view) if view is not None else decorator


@method_decorator(reauthentication_required, name="dispatch")
class ReauthenticationRequiredMixin:
    """The same for a class-based view: put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ReauthenticationRequired(exceptions.APIException):
    status_code = 403
    default_detail = _(
        "Give your password (or a second factor) again on the site, at "
        "/accounts/reauthenticate/, then send the request again within ten minutes."
    )
    default_code = "reauthentication_required"


class SessionRequired(exceptions.APIException):
    status_code = 403
    default_detail = _(
        "An API token cannot do this. Sign in on the site, give your password again and do it "
        "there, or with that signed-in session."
    )
    default_code = "session_required"


def require_recent_reauthentication(request: Request) -> None:
    """For an API write that makes tokens or grants power: refuse a bearer token, and a session
    that has not re-authenticated within `ACCOUNT_REAUTHENTICATION_TIMEOUT` (both 403 problem
    JSON, of two types). An anonymous caller is left to the view's own 401."""
    if not (request.user and request.user.is_authenticated):
        raise exceptions.NotAuthenticated
    if request.auth is not None:  # a bearer token; a session signs in with no `auth`
        raise SessionRequired
    if is_reauthentication_required(request._request, app=""):
        raise ReauthenticationRequired
