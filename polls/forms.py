"""The forms of polls: starting one, recording its outcome, and reading a ballot from a page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from members.models import Person
from polls.models import Poll


class PollForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=200)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Kind of poll"), choices=Poll.Kind.choices)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. Not needed for a proposal or a time poll."),
    )
    slots = forms.CharField(
        label=_("Time slots"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For a time poll: one start per line as YYYY-MM-DD HH:MM, in your timezone (%(zone)s)."
        ),
    )
    slot_minutes = forms.IntegerField(
        label=_("Length of each slot, in minutes"), min_value=15, max_value=600, initial=90
    )
    circle = forms.ModelChoiceField(
        label=_("Circle"),
        queryset=Circle.objects.order_by("name"),
        required=False,
        empty_label=_("The whole network"),
    )
    electorate = forms.ChoiceField(
        label=_("Who may vote"), choices=Poll.Electorate.choices, initial=Poll.Electorate.ALL
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your timezone (%(zone)s)."),
    )
    anonymous = forms.BooleanField(label=_("Anonymous votes"), required=False)
    results_hidden = forms.BooleanField(
        label=_("Hide results until the poll closes"), required=False
    )
    quorum = forms.IntegerField(label=_("Quorum"), min_value=0, initial=0, required=False)
    max_score = forms.IntegerField(
        label=_("Highest score (score polls)"), min_value=1, max_value=100, initial=5
    )
    dots = forms.IntegerField(
        label=_("Dots per voter (dot votes)"), min_value=1, max_value=100, initial=10
    )
    remind_hours_before = forms.IntegerField(
        label=_("Remind those who haven't voted, hours before closing"),
        min_value=1,
        max_value=720,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("slots", "closes_at"):
            self.fields[name].help_text = str(self.fields[name].help_text) % {"zone": zone}

    def clean_slots(self) -> list[datetime]:
        zone = timezone.get_current_timezone()
        out = []
        for line in (self.cleaned_data.get("slots") or "").splitlines():
            if not line.strip():
                continue
            try:
                naive = datetime.strptime(line.strip(), "%Y-%m-%d %H:%M")  # noqa: DTZ007
            except ValueError:
                raise ValidationError(
                    _("“%(line)s” is not a time such as 2027-03-28 15:00."),
                    params={"line": line.strip()},
                ) from None
            out.append(timezone.make_aware(naive, zone))
        return out

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["options"] = (data.get("options") or "").splitlines()
        data["quorum"] = data.get("quorum") or 0
        return data


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=_("Who carries your vote"),
        queryset=Person.objects.none(),
        help_text=_(
            "A voter in this poll from your co-op or your circles. If you vote yourself after "
            "all, your own vote counts instead."
        ),
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["delegate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices
        field.label_from_instance = lambda person: person.display_name  # type: ignore[method-assign]


class OutcomeForm(forms.Form):
    statement = forms.CharField(
        label=_("Outcome"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to_next_assembly = forms.BooleanField(
        label=_("Put it on the next assembly's agenda"), required=False
    )


def answer_from_post(poll: Poll, data: Any, option_ids: list[int]) -> dict[str, Any]:
    """A ballot's answer from the vote form's fields (the services check it)."""

    def number(name: str) -> int | None:
        try:
            return int(data.get(name, ""))
        except ValueError:
            return None

    kind = poll.kind
    if kind == Poll.Kind.PROPOSAL:
        return {"position": data.get("position"), "reason": data.get("reason", "")}
    if kind == Poll.Kind.SINGLE:
        return {"option": data.get("option")}
    if kind == Poll.Kind.MULTIPLE:
        return {"options": data.getlist("options")}
    if kind in (Poll.Kind.SCORE, Poll.Kind.DOT):
        key = "scores" if kind == Poll.Kind.SCORE else "dots"
        values = {str(pk): number(f"{key}-{pk}") for pk in option_ids}
        return {key: {pk: v for pk, v in values.items() if v is not None}}
    if kind == Poll.Kind.RANKED:
        ranks = {pk: number(f"rank-{pk}") for pk in option_ids}
        ranked = sorted((r, pk) for pk, r in ranks.items() if r)
        return {"ranking": [pk for _r, pk in ranked]}
    if kind == Poll.Kind.TIME:
        return {"slots": {str(pk): data.get(f"slot-{pk}", "no") for pk in option_ids}}
    return {}
