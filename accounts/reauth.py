"""Re-authentication before a sensitive change on a page.

`reauthentication_required` wraps a view so that a POST from someone who has not given their
password (or a second factor) within `ACCOUNT_REAUTHENTICATION_TIMEOUT` (10 minutes) is sent to
allauth's re-authentication page first; allauth then replays the suspended POST. GETs pass, so a
form still shows. Someone signed out goes to the login page. API calls with a token never come
through here: a partner tool has no password to give.

Use it on pages that make tokens, grant roles or change money settings::

    @reauthentication_required
    def coordinator_grant(request, slug): ...

    class FundSettingsView(ReauthenticationRequiredMixin, FormView): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from allauth.account.decorators import reauthentication_required as _allauth_reauthentication
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import method_decorator

_V = TypeVar("_V", bound=Callable[..., HttpResponseBase])


def reauthentication_required(view: _V) -> _V:
    """Sign in first, then re-authenticate (within the timeout) before any POST reaches `view`."""
    wrapped: _V = login_required(_allauth_reauthentication(view, allow_get=True))
    return wrapped


@method_decorator(reauthentication_required, name="dispatch")
class ReauthenticationRequiredMixin:
    """The same for a class-based view: put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
