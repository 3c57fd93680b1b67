"""Joining Patio is by invitation: signup is open only to someone holding a usable invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from members.services import (
    InvitationForSomeoneElse,
    InvitationUnusable,
    invitation_accept,
    invitation_find_usable,
)

SESSION_KEY = "patio_invitation"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        token = request.session.get(SESSION_KEY)
        return bool(token) and invitation_find_usable(token) is not None

    def save_user(self, request, user, form, commit=True):
        token = request.session.pop(SESSION_KEY, None)
        try:
            with transaction.atomic():
                user = super().save_user(request, user, form, commit=True)
                invitation_accept(token=token, user=user)
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
