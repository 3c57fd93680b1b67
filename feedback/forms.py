from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback.models import ANSWER_MAX, MESSAGE_MAX
from feedback.services import DAYS_CHOICES, DEFAULT_DAYS
from members.models import Person


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.display_name} ({obj.organisation.name})"


class AskForm(forms.Form):
    respondents = PersonChoices(
        label=_("Whom to ask"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person to ask.")},
    )
    message = forms.CharField(
        label=_("A word to them (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would most like to hear about, for instance."),
    )
    days = forms.TypedChoiceField(
        label=_("Answers close after"),
        coerce=int,
        initial=DEFAULT_DAYS,
        help_text=_("Those who haven't answered get one reminder halfway."),
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["respondents"].queryset = people  # type: ignore[attr-defined]
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (d, ngettext("%(count)d day", "%(count)d days", d) % {"count": d}) for d in DAYS_CHOICES
        ]


class AnswerForm(forms.Form):
    went_well = forms.CharField(
        label=_("What went well"),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    to_change = forms.CharField(
        label=_("What to change"),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note = forms.CharField(
        label=_("Anything else"),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
