"""Forms for the assembly pages. Times are typed in the reader's own timezone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assemblies import selectors
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    AssemblySeries,
    CircleUpdate,
    Correction,
    Decision,
    Rsvp,
)
from assemblies.services import ASSEMBLY_FIELDS, DECISION_FIELDS
from members.models import Person
from patio.forms import Select, field_of


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return person.display_name


def _people_field(label, required=False) -> _PersonChoice:
    return _PersonChoice(
        queryset=selectors.people_for_roles(), required=required, label=label, widget=Select
    )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssemblyForm(forms.ModelForm):
    facilitator = _people_field(_("Facilitator"))
    note_taker = _people_field(_("Note-taker"))

    class Meta:
        model = Assembly
        fields = list(ASSEMBLY_FIELDS)
        widgets = {"start": LocalDateTimeInput()}
        help_texts = {"start": _("In your own timezone.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out, an assembly stays with members, as it did before it could be public.
        field_of(self, "visibility", forms.ChoiceField).required = False

    def clean_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or Assembly.Visibility.MEMBERS


class CircleUpdateForm(forms.ModelForm):
    class Meta:
        model = CircleUpdate
        fields = ["done", "next", "needs", "decisions_wanted"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class ProposalForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in AgendaItem.Kind.choices if c[0] != AgendaItem.Kind.CIRCLE_UPDATE],
    )

    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "description", "time_box_minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "description", "time_box_minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )


class MinutesForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"minutes": _("Markdown.")}


class _ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, item: AgendaItem) -> str:
        return item.title


class DecisionForm(forms.ModelForm):
    agenda_item = _ItemChoice(
        queryset=AgendaItem.objects.none(), required=False, label=_("Agenda item")
    )

    class Meta:
        model = Decision
        fields = list(DECISION_FIELDS)
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "objections": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"without_quorum": _("Record it without quorum")}
        help_texts = {
            "without_quorum": _(
                "Quorum is not reached. Tick this to record the decision anyway: it will be "
                "shown everywhere as taken without quorum."
            )
        }

    def __init__(self, *args, assembly: Assembly, may_skip_quorum: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        agenda_item = field_of(self, "agenda_item", forms.ModelChoiceField)
        agenda_item.queryset = assembly.agenda_items.order_by("order", "id")
        # Both are always chosen: no empty "---------" to trip on; consent is the usual way.
        field_of(self, "method", forms.ChoiceField).choices = Decision.Method.choices
        field_of(self, "outcome", forms.ChoiceField).choices = Decision.Outcome.choices
        self.fields["method"].initial = Decision.Method.CONSENT
        self.fields["outcome"].initial = Decision.Outcome.ADOPTED
        if not may_skip_quorum:
            del self.fields["without_quorum"]


class _DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return decision.text[:80]


class CorrectionForm(forms.ModelForm):
    agenda_item = _ItemChoice(
        queryset=AgendaItem.objects.none(), required=False, label=_("Agenda item it corrects")
    )
    decision = _DecisionChoice(
        queryset=Decision.objects.none(), required=False, label=_("Decision it corrects")
    )

    class Meta:
        model = Correction
        fields = ["agenda_item", "decision", "text", "reason"]
        labels = {"text": _("What the record should say"), "reason": _("Why it is corrected")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, assembly: Assembly, **kwargs):
        super().__init__(*args, **kwargs)
        agenda_item = field_of(self, "agenda_item", forms.ModelChoiceField)
        agenda_item.queryset = assembly.agenda_items.order_by("order", "id")
        agenda_item.empty_label = _("Not about one item")
        decision = field_of(self, "decision", forms.ModelChoiceField)
        decision.queryset = assembly.decisions.order_by("created_at", "id")
        decision.empty_label = _("Not about one decision")


class ActionItemForm(forms.ModelForm):
    agenda_item = _ItemChoice(
        queryset=AgendaItem.objects.none(), required=False, label=_("Agenda item")
    )
    owner = _people_field(_("Owner"), required=True)

    class Meta:
        model = ActionItem
        fields = ["agenda_item", "description", "owner", "due_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, assembly: Assembly, **kwargs):
        super().__init__(*args, **kwargs)
        agenda_item = field_of(self, "agenda_item", forms.ModelChoiceField)
        agenda_item.queryset = assembly.agenda_items.order_by("order", "id")


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return person.display_name


class AttendanceForm(forms.Form):
    people = _PeopleChoice(
        queryset=Person.objects.none(),
        required=False,
        label=_("Present"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "people", forms.ModelChoiceField).queryset = people


class ActionStatusForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["status"]


class SlotForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    nth = forms.TypedChoiceField(
        label=_("Which week"), choices=AssemblySeries.Nth.choices, coerce=int, initial=1
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=AssemblySeries.Weekday.choices, coerce=int, initial=3
    )
    time = forms.TimeField(
        label=_("Proposed time (UTC)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    rotation = forms.TypedChoiceField(
        label=_("Rotate between"),
        choices=[(2, _("two slots")), (3, _("three slots"))],
        coerce=int,
        initial=2,
    )


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search decisions"), required=False, max_length=200)


class DelegationForm(forms.Form):
    delegate = _PersonChoice(
        queryset=Person.objects.none(),
        label=_("Who carries your vote"),
        help_text=_(
            "An active member who will attend. If you attend after all, your own vote counts."
        ),
        widget=Select,
    )

    def __init__(self, *args: Any, choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "delegate", forms.ModelChoiceField).queryset = choices


class MinutesPublishForm(forms.Form):
    text = forms.CharField(
        label=_("Draft minutes"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown. Started from the minutes noted on each agenda item."),
    )


class SuggestionForm(CorrectionForm):
    class Meta(CorrectionForm.Meta):
        fields = ["agenda_item", "decision", "original", "text", "reason"]
        labels = {
            "original": _("The words to change"),
            "text": _("What the minutes should say"),
            "reason": _("Why"),
        }
        widgets = {
            "original": forms.Textarea(attrs={"rows": 2}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }


class CorrectionDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("Note to the author"), max_length=2000, required=False)


class RotationForm(forms.Form):
    facilitator = _people_field(_("Facilitator"), required=True)
    note_taker = _people_field(_("Note-taker"), required=True)
