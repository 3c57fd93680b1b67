"""The API tokens page: each person makes and revokes their own; network admins also their
bots'. Both writes ask for re-authentication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import ApiTokenForm
from accounts.models import User
from accounts.reauth import reauthentication_required
from patio.http import PatioRequest


def _actor(request: PatioRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@reauthentication_required
def token_list(request: PatioRequest) -> HttpResponse:
    actor = _actor(request)
    form = ApiTokenForm(request.POST or None, actor=actor)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        created, secret = services.token_create(actor=actor, **form.cleaned_data)
        form = ApiTokenForm(actor=actor)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": selectors.tokens_page(actor)[:200],
            "created": created,
            "secret": secret,
        },
        status=201 if created else 200,
    )


@require_POST
@reauthentication_required
def token_revoke(request: PatioRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    token = get_object_or_404(selectors.tokens_page(actor), pk=pk)
    services.token_revoke(actor=actor, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
