from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assemblies.forms import LocalDateTimeInput
from circles.forms import PeopleChoiceField
from mediation import selectors
from mediation.models import Case
from members.models import Person
from patio import forms as patio_forms


class CaseForm(forms.Form):
    involved = PeopleChoiceField(
        label=_("Who is involved"),
        queryset=Person.objects.none(),
        widget=patio_forms.SearchableCheckboxes,
        help_text=_(
            "The people of the network the conflict is with. They are never shown this case, "
            "and a mediator you name here does not read it."
        ),
    )
    what_happened = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In your own words. Only the mediators who are not named read it."),
    )
    hoped_for = forms.CharField(
        label=_("What you hope for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("An apology, a conversation, a change in how you work together…"),
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["involved"]
        assert isinstance(field, PeopleChoiceField)
        field.queryset = selectors.people_to_name(person)


class MoveForm(forms.Form):
    state = forms.ChoiceField(choices=Case.State.choices)


class MeetingForm(forms.Form):
    at = forms.DateTimeField(
        label=_("When"), widget=LocalDateTimeInput(), help_text=_("In your own timezone.")
    )
    minutes = forms.IntegerField(
        label=_("How long (minutes)"), min_value=15, max_value=480, initial=60
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=300,
        required=False,
        help_text=_("A room, or the link of a call. Only the case's readers see it."),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
