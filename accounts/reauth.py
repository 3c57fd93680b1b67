"""Re-authentication before a sensitive change on a page.

`reauthentication_required` wraps a view so that a POST from someone who has not given their
password (or a second factor) within `ACCOUNT_REAUTHENTICATION_TIMEOUT` (10 minutes) is sent to
allauth's re-authentication page first; allauth then replays the suspended POST. GETs pass, so a
form still shows. Someone signed out goes to the login page. API calls with a token never come
through here: a partner tool has no password to give.

Use it on pages that make tokens, grant roles or change money settings::

    @reauthentication_required
    def fund_settings(request): ...

    # Only when the POST grants the role:
    @reauthentication_required(when=lambda request, **kw: request.POST.get("role") == "coordinator")
    def membership_change(request, slug, pk): ...

    class FundSettingsView(ReauthenticationRequiredMixin, FormView): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from allauth.account.decorators import reauthentication_required as _allauth_reauthentication
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import method_decorator

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
