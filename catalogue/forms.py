"""The catalogue's forms: an entry, a provider's offer, a co-op's use, a publiccode.yml import,
and the "who can help me with this?" question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from catalogue.models import FEATURE_MAX, Provider, Service, Software, SoftwareUse
from catalogue.publiccode import MAX_BYTES
from catalogue.selectors import functions
from catalogue.services import PROVIDER_FIELDS, SOFTWARE_FIELDS, SOFTWARE_M2M, USE_FIELDS
from members.models import Organisation
from patio.forms import SearchableCheckboxes, Select, field_of


class SoftwareForm(forms.ModelForm):
    features = forms.CharField(
        label=_("Features"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What it does, one short phrase a line (at most %(n)d characters each): "
            "“Membership renewals and reminders”. publiccode.yml requires them."
        )
        % {"n": FEATURE_MAX},
    )

    class Meta:
        model = Software
        fields = [*SOFTWARE_FIELDS, *SOFTWARE_M2M]
        widgets = {
            "summary": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 10}),
            "last_release": forms.DateInput(attrs={"type": "date"}),
            "categories": SearchableCheckboxes,
            "programming_languages": SearchableCheckboxes,
            "ui_languages": SearchableCheckboxes(order_by_label=True),
            "makers": SearchableCheckboxes,
            "similar": SearchableCheckboxes,
            "maturity": forms.RadioSelect,
            "status": forms.RadioSelect,
        }
        help_texts = {
            "makers": _("The network co-ops that build it."),
            "status": _("Drafts are read by people of the network only."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "categories", forms.ModelMultipleChoiceField).queryset = functions()
        field_of(self, "categories", forms.ModelMultipleChoiceField).required = False
        makers = field_of(self, "makers", forms.ModelMultipleChoiceField)
        makers.queryset = Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by(
            "name"
        )
        similar = field_of(self, "similar", forms.ModelMultipleChoiceField)
        others = Software.objects.order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        similar.queryset = others
        if self.instance.pk and "features" not in self.initial:
            self.initial["features"] = "\n".join(self.instance.features)
        elif isinstance(self.initial.get("features"), list):
            self.initial["features"] = "\n".join(self.initial["features"])
        field_of(self, "maturity", forms.ChoiceField).choices = Software.Maturity.choices
        field_of(self, "status", forms.ChoiceField).choices = Software.Status.choices

    def clean_features(self) -> list[str]:
        """One feature a line, as the services take them (they trim and check them)."""
        text = self.cleaned_data.get("features") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_input(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(fields, relations) that the person changed, as the services take them."""
        changed = set(self.changed_data) if self.instance.pk else set(self.fields)
        data = {n: self.cleaned_data[n] for n in SOFTWARE_FIELDS if n in changed}
        m2m = {n: list(self.cleaned_data[n]) for n in SOFTWARE_M2M if n in changed}
        return data, m2m


class SoftwareEditForm(SoftwareForm):
    class Meta(SoftwareForm.Meta):
        fields = ["slug", *SoftwareForm.Meta.fields]
        help_texts = {
            **SoftwareForm.Meta.help_texts,
            "slug": _("The entry's address. The old one keeps leading here."),
        }


class ProviderForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Service.choices, widget=SearchableCheckboxes
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries covered"),
        choices=countries,
        required=False,
        widget=SearchableCheckboxes(order_by_label=True),
        help_text=_("None: you work with co-ops anywhere, remotely."),
    )

    class Meta:
        model = Provider
        fields = list(PROVIDER_FIELDS)
        widgets = {
            "currency": Select,
            "rate_unit": Select,
            "support_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["countries"] = [c.code for c in self.instance.countries]
        for name in ("rate_min", "rate_max"):
            field_of(self, name, forms.DecimalField).min_value = 0
            self.fields[name].widget.attrs["min"] = 0

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROVIDER_FIELDS}


class UseForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("From 1 (poor) to 5 (excellent)."),
    )

    class Meta:
        model = SoftwareUse
        fields = list(USE_FIELDS)
        widgets = {"use_case": forms.TextInput}

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in USE_FIELDS}


class ImportForm(forms.Form):
    url = forms.URLField(
        label=_("Address of a publiccode.yml"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Such as the raw file in the software's repository."),
    )
    file = forms.FileField(
        label=_("Or upload the file"),
        required=False,
        help_text=_("At most %(kib)d KiB.") % {"kib": MAX_BYTES // 1024},
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if not self.errors and bool(cleaned.get("url")) == bool(cleaned.get("file")):
            raise forms.ValidationError(_("Give either the address of the file or the file."))
        return cleaned


class HelpForm(forms.Form):
    """What a co-op wants help with, sent by GET to the request-help form, pre-filled."""

    services = forms.MultipleChoiceField(
        label=_("What do you need?"),
        choices=Service.choices,
        required=False,
        widget=SearchableCheckboxes,
    )
    provider = forms.ChoiceField(
        label=_("From whom?"), required=False, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "provider", forms.ChoiceField).choices = [
            ("", _("Any provider, or the network")),
            *[(p.organisation.slug, p.organisation.name) for p in providers],
        ]
        self.initial.setdefault("provider", "")
