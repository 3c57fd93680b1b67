from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from accounts.selectors import token_owners_for
from accounts.services import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS
from patio.forms import field_of


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.is_bot:
            return str(_("%(email)s (bot account)") % {"email": obj.email})
        return str(_("%(email)s (me)") % {"email": obj.email})


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “our CRM”.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"),
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        initial=TOKEN_DEFAULT_DAYS,
    )
    user = OwnerChoiceField(
        label=_("Acts as"),
        queryset=User.objects.none(),
        help_text=_("A token acts as you. Network admins also make tokens for bot accounts."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = field_of(self, "user", OwnerChoiceField)
        owners.queryset = token_owners_for(actor)
        owners.initial = actor.pk
        owners.empty_label = None
