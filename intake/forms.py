"""The public request-help form, with its abuse protection, and the triage forms."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from catalogue.models import Software
from intake.models import DESCRIPTION_MAX, HelpRequest
from intake.services import SUBMITTED_FIELDS
from members.models import Language, Organisation
from patio import forms as patio_forms
from patio.forms import field_of

if TYPE_CHECKING:
    from circles.models import Circle

SIGNING_SALT = "intake.help-request-form"
FORM_MAX_AGE = 24 * 3600  # a form left open for a day is refused: reload and send again
HONEYPOT = "website"
MAX_LANGUAGES = 20  # as many as an opportunity lists


def min_fill_seconds() -> float:
    """How long a person needs at least to fill in the form; faster is a robot."""
    return float(getattr(settings, "HELP_REQUEST_MIN_SECONDS", 3))


def form_started_token() -> str:
    return signing.dumps(time.time(), salt=SIGNING_SALT)


class HelpRequestForm(forms.ModelForm):
    preferred_languages = forms.ModelMultipleChoiceField(
        label=_("Preferred languages"),
        queryset=Language.objects.order_by("name"),
        required=False,
        widget=patio_forms.SearchableCheckboxes(order_by_label=True),
        help_text=_("The languages you would like to work in."),
    )
    # A field people never see nor hear (hidden with CSS and aria-hidden); robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)
    # Asked from a catalogue entry: which one (kept through the POST), and whom to tell.
    software = forms.SlugField(widget=forms.HiddenInput, max_length=200, required=False)
    providers = forms.ModelMultipleChoiceField(
        label=_("Which providers should hear about it?"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their admins get your request by email, with your name and email address, to "
            "write to you. Choose none and the network's co-ordinators find who can help."
        ),
    )

    class Meta:
        model = HelpRequest
        fields = [*SUBMITTED_FIELDS, "preferred_languages"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX}),
            "need": forms.RadioSelect,
            "country": patio_forms.Select,
        }

    def __init__(self, *args, software: Software | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked_about = software
        if not self.is_bound:
            self.initial["started"] = form_started_token()
        if software is None:
            del self.fields["providers"]
        else:
            self.initial["software"] = software.slug
            providers = field_of(self, "providers", forms.ModelMultipleChoiceField)
            providers.queryset = Organisation.objects.filter(
                software_provided__software=software
            ).order_by("name", "id")
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        # A required choice starts unchosen: no "---------" radio ticked for the person, and a
        # country prompt that says what to do.
        field_of(self, "need", forms.ChoiceField).choices = HelpRequest.Need.choices
        country = field_of(self, "country", forms.ChoiceField)
        # Django keeps a field's choices as (value, label) pairs; the stubs allow any shape.
        countries = cast("Iterable[tuple[str, str]]", country.choices)
        country.choices = [
            ("", _("Choose a country…")),
            *[(code, name) for code, name in countries if code],
        ]

    def clean_preferred_languages(self):
        languages = self.cleaned_data["preferred_languages"]
        if len(languages) > MAX_LANGUAGES:
            raise forms.ValidationError(_("Choose at most %(n)d languages.") % {"n": MAX_LANGUAGES})
        return languages

    @property
    def is_robot(self) -> bool:
        """The honeypot was filled in: accept quietly, store nothing."""
        return bool(self.data.get(HONEYPOT))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        # Errors of a hidden field would be shown nowhere: both are the form's own errors.
        try:
            started = float(
                signing.loads(self.data.get("started", ""), salt=SIGNING_SALT, max_age=FORM_MAX_AGE)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form has expired. Reload the page and send your request again."),
                code="expired",
            ) from None
        if time.time() - started < min_fill_seconds():
            raise forms.ValidationError(
                _("That was very quick. Please check your request, then send it again."),
                code="too_fast",
            )
        return cleaned

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "preferred_languages"
        }

    def chosen_providers(self) -> list[Organisation]:
        return list(self.cleaned_data.get("providers") or [])


def prefill(query: Mapping[str, str], *, software: Software | None = None) -> dict[str, Any]:
    """What a link to the form may fill in for the person (`?need=choose&description=…`), as
    the catalogue's "who can help me with this?" does: a known need, a description cut to the
    field's size, and (`?software=…&provider=…`) the entry's providers ticked. The person still
    reads, changes and sends it themselves."""
    initial: dict[str, Any] = {}
    if software is not None and hasattr(query, "getlist"):
        slugs = [slug for slug in query.getlist("provider") if slug]
        if slugs:
            initial["providers"] = list(
                Organisation.objects.filter(
                    slug__in=slugs, software_provided__software=software
                ).values_list("pk", flat=True)
            )
    if query.get("need") in HelpRequest.Need.values:
        initial["need"] = query["need"]
    description = (query.get("description") or "").strip()
    if description:
        initial["description"] = description[:DESCRIPTION_MAX]
    return initial


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Emailed to the requester, in their own words if you can."),
    )


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Emailed to the requester."),
    )


class ConvertForm(forms.Form):
    circle: forms.ModelChoiceField[Circle] = forms.ModelChoiceField(
        label=_("Circle posting the opportunity"), queryset=None, empty_label=None
    )

    def __init__(self, *args, circles, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "circle", forms.ModelChoiceField).queryset = circles
