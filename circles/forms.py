from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMembership, MembershipRequest
from members.models import Person
from patio import forms as patio_forms


class PersonChoiceField(forms.ModelChoiceField):
    """A person shown with their home co-op, as everywhere on the site."""

    def label_from_instance(self, person: Person) -> str:
        return f"{person.display_name} ({person.organisation.name})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return f"{person.display_name} ({person.organisation.name})"


def _people():
    return Person.objects.select_related("organisation").order_by("display_name", "id")


class AccountabilitiesField(forms.CharField):
    """The list of accountabilities, typed one per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # lines, not text
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or []) != self.to_python(data)


class CircleForm(forms.ModelForm):
    """What a circle's coordinators edit."""

    accountabilities = AccountabilitiesField(
        label=_("Accountabilities"),
        required=False,
        max_length=10000,
        help_text=_("One per line: what the circle is counted on for."),
    )

    class Meta:
        model = Circle
        fields = ["name", "purpose", "domain", "accountabilities", "meeting_rhythm", "status"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "domain": forms.Textarea(attrs={"rows": 3}),
        }


class CircleAdminForm(CircleForm):
    """Network admins also place the circle in the tree and choose who triages help requests."""

    class Meta(CircleForm.Meta):
        fields = [*CircleForm.Meta.fields, "parent", "triages_help_requests", "handles_conflicts"]


class CircleCreateForm(CircleAdminForm):
    coordinators = PeopleChoiceField(
        label=_("First coordinators"),
        queryset=_people(),
        required=False,
        widget=patio_forms.SearchableCheckboxes,
        help_text=_("People of the network who coordinate the circle from today."),
    )

    class Meta(CircleAdminForm.Meta):
        pass


class MembershipAddForm(forms.ModelForm):
    person = PersonChoiceField(label=_("Person"), queryset=_people(), widget=patio_forms.Select())

    class Meta:
        model = CircleMembership
        fields = ["person", "role", "hours_per_month", "duties", "start_date"]
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
        }

    def _post_clean(self):
        pass  # the service validates the whole row (overlaps included)


class MembershipChangeForm(forms.ModelForm):
    class Meta:
        model = CircleMembership
        fields = ["role", "hours_per_month", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to end the membership now."),
    )


class MembershipRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=MembershipRequest.Kind.choices, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the coordinators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
