"""The post/edit form of an opportunity and its role editor (plain formsets: no JavaScript)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Language, Organisation, PersonSkill, Skill
from members.vocabulary import by_name
from patio import forms as patio_forms
from patio.forms import field_of
from projects.models import Opportunity, OpportunityRole, Project, TeamRole
from projects.services.opportunities import FIELDS as OPPORTUNITY_FIELDS
from projects.services.teams import PROJECT_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Each role offers this many skill rows; a role rarely needs more, and the API takes up to 15.
SKILL_ROWS = 4
MAX_ROLES = 20


class _CoordinatedForm(forms.ModelForm):
    """What an opportunity's and a project's form share: co-op choices limited to member co-ops,
    the circle to pick when creating, the checks across fields, and the data handed to the
    service. The services check the same (the API has no form); the page checks first so that
    every mistake shows at once, next to its field."""

    COOP_FIELDS: tuple[str, ...]
    CIRCLE_LABEL: StrOrPromise
    # (start field, end field, what to say when the end comes first)
    DATE_ORDER: tuple[str, str, StrOrPromise]

    def __init__(self, *args, circles=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("name")
        for name in self.COOP_FIELDS:
            field_of(self, name, forms.ModelChoiceField).queryset = members
        if circles is not None:
            self.fields = {
                "circle": forms.ModelChoiceField(
                    label=self.CIRCLE_LABEL,
                    queryset=circles,
                    empty_label=None,
                    help_text=_("One of the circles you coordinate."),
                ),
                **self.fields,
            }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start_name, end_name, message = self.DATE_ORDER
        start, end = data.get(start_name), data.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, message)
        if data.get("client_organisation") and data.get("client_name"):
            self.add_error(
                "client_name",
                _("Name either a member co-op or an outside organisation as the client, not both."),
            )
        return data

    def service_data(self, *, only_changed: bool) -> dict:
        names = [n for n in self._meta.fields or () if not only_changed or n in self.changed_data]
        return {name: self.cleaned_data[name] for name in names}


class OpportunityForm(_CoordinatedForm):
    COOP_FIELDS = ("source_coop", "client_organisation")
    CIRCLE_LABEL = _("Posting circle")
    DATE_ORDER = ("start_date", "deadline", _("The deadline cannot be before the start date."))

    class Meta:
        model = Opportunity
        fields = list(OPPORTUNITY_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": 20_000}),
            "working_languages": patio_forms.SearchableCheckboxes(order_by_label=True),
            "core_hours_start_utc": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "core_hours_end_utc": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source_coop": patio_forms.Select,
            "client_organisation": patio_forms.Select,
            "currency": patio_forms.Select,
        }
        help_texts = {"description": _("Markdown works: **bold**, lists, links.")}


def skill_choices() -> list[tuple[str, str]]:
    """One query for every skill select of the role editor, names in the reader's language."""
    skills = by_name(Skill.objects.all()).values_list("pk", "name")
    return [("", "—"), *((str(pk), name) for pk, name in skills)]


class RoleForm(forms.Form):
    title = forms.CharField(label=_("Role"), max_length=120)
    headcount = forms.IntegerField(label=_("People"), min_value=1, max_value=50, initial=1)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=80)

    def __init__(self, *args, skills: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(SKILL_ROWS):
            self.fields[f"skill_{row}"] = forms.TypedChoiceField(
                label=_("Skill %(n)d") % {"n": row + 1},
                choices=skills,
                coerce=int,
                required=False,
                empty_value=None,
                widget=patio_forms.Select,
            )
            self.fields[f"min_level_{row}"] = forms.TypedChoiceField(
                label=_("Minimum level"),
                choices=PersonSkill.Level.choices,
                coerce=int,
                initial=PersonSkill.Level.PRACTITIONER,
            )
            self.fields[f"weight_{row}"] = forms.IntegerField(
                label=_("Weight (1 to 5)"), min_value=1, max_value=5, initial=3
            )

    def initial_values(self) -> dict[str, str]:
        """The defaults an empty role shows, as a browser would post them back."""
        return {
            name: str(field.initial)
            for name, field in self.fields.items()
            if field.initial is not None
        }

    def skill_rows(self):
        """(skill, level, weight) bound fields per row, for the template."""
        return [
            (self[f"skill_{row}"], self[f"min_level_{row}"], self[f"weight_{row}"])
            for row in range(SKILL_ROWS)
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        seen = set()
        for row in range(SKILL_ROWS):
            skill = data.get(f"skill_{row}")
            if skill is None:
                continue
            if skill in seen:
                self.add_error(f"skill_{row}", _("This skill is already listed for this role."))
            seen.add(skill)
        return data

    def role(self, skills_by_pk: dict[int, Skill]) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "headcount": data["headcount"],
            "hours_per_week": data["hours_per_week"],
            "skills": [
                {
                    "skill": skills_by_pk[data[f"skill_{row}"]],
                    "min_level": data[f"min_level_{row}"],
                    "weight": data[f"weight_{row}"],
                }
                for row in range(SKILL_ROWS)
                if data.get(f"skill_{row}") is not None
            ],
        }

    @staticmethod
    def initial_for(role: OpportunityRole) -> dict:
        initial = {
            "title": role.title,
            "headcount": role.headcount,
            "hours_per_week": role.hours_per_week,
        }
        for row, requirement in enumerate(list(role.skills.all())[:SKILL_ROWS]):
            initial[f"skill_{row}"] = requirement.skill_id
            initial[f"min_level_{row}"] = requirement.min_level
            initial[f"weight_{row}"] = requirement.weight
        return initial


class BaseRoleFormSet(forms.BaseFormSet):
    def roles(self) -> list[dict]:
        wanted = {
            form.cleaned_data[f"skill_{row}"]
            for form in self.kept_forms()
            for row in range(SKILL_ROWS)
            if form.cleaned_data.get(f"skill_{row}") is not None
        }
        skills_by_pk = Skill.objects.in_bulk(wanted)
        return [form.role(skills_by_pk) for form in self.kept_forms()]

    def kept_forms(self):
        initial = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < initial or form.has_changed())
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
        ]


RoleFormSet = forms.formset_factory(
    RoleForm,
    formset=BaseRoleFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_ROLES,
    validate_max=True,
    absolute_max=MAX_ROLES + 5,
)


class InterestForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Which role?"),
        queryset=OpportunityRole.objects.none(),
        required=False,
        empty_label=_("Any role"),
    )
    note = forms.CharField(
        label=_("A note for the coordinators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, opportunity: Opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "role", forms.ModelChoiceField).queryset = opportunity.roles.all()


# Projects and their team roles ------------------------------------------------------------------
class ProjectForm(_CoordinatedForm):
    """A project's own fields. Creating one also names the coordinating circle."""

    COOP_FIELDS = ("lead_coop", "client_organisation")
    CIRCLE_LABEL = _("Coordinating circle")
    DATE_ORDER = ("start_date", "end_date", _("The end date cannot be before the start date."))

    class Meta:
        model = Project
        # The source co-op comes with the opportunity a team is made from: no page sets it.
        fields = [name for name in PROJECT_FIELDS if name != "source_coop"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 20_000}),
            "phase": patio_forms.Select,
            "status": patio_forms.Select,
            "visibility": patio_forms.Select,
            "lead_coop": patio_forms.Select,
            "client_organisation": patio_forms.Select,
            "core_hours_start_utc": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "core_hours_end_utc": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "description": _("Markdown works: **bold**, lists, links."),
            "phase": _("Where the work is now: idea, design, development, maintenance, marketing."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "lead_coop", forms.ModelChoiceField).empty_label = _("No lead co-op yet")
        field_of(self, "client_organisation", forms.ModelChoiceField).empty_label = _(
            "Not a member co-op"
        )


class TeamRoleForm(RoleForm):
    """One seat of a team: a role for one person, with its phase and languages."""

    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=Project.Phase.choices,
        initial=Project.Phase.DEVELOPMENT,
        widget=patio_forms.Select,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages (any of)"),
        queryset=Language.objects.order_by("name"),
        required=False,
        widget=patio_forms.SearchableCheckboxes(order_by_label=True),
        help_text=_("Leave empty if any language will do."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["headcount"]
        order = ["title", "phase", "hours_per_week", "languages"]
        self.fields = {
            **{name: self.fields[name] for name in order},
            **{n: f for n, f in self.fields.items() if n not in order},
        }

    def team_role(self) -> dict:
        data = self.cleaned_data
        wanted = [data[f"skill_{row}"] for row in range(SKILL_ROWS)]
        skills_by_pk = Skill.objects.in_bulk([pk for pk in wanted if pk is not None])
        return {
            "title": data["title"],
            "phase": data["phase"],
            "hours_per_week": data["hours_per_week"],
            "languages": list(data["languages"]),
            "skills": [
                {
                    "skill": skills_by_pk[data[f"skill_{row}"]],
                    "min_level": data[f"min_level_{row}"],
                    "weight": data[f"weight_{row}"],
                }
                for row in range(SKILL_ROWS)
                if data.get(f"skill_{row}") is not None and data[f"skill_{row}"] in skills_by_pk
            ],
        }

    @staticmethod
    def initial_for_team_role(role: TeamRole) -> dict:
        initial = {
            "title": role.title,
            "phase": role.phase,
            "hours_per_week": role.hours_per_week,
            "languages": list(role.languages.all()),
        }
        for row, requirement in enumerate(list(role.skills.all())[:SKILL_ROWS]):
            initial[f"skill_{row}"] = requirement.skill_id
            initial[f"min_level_{row}"] = requirement.min_level
            initial[f"weight_{row}"] = requirement.weight
        return initial


class TransitionForm(forms.Form):
    """The status change of an opportunity, with the confirmation that ending staffing short of
    a full team records the roles left unfilled."""

    to_status = forms.ChoiceField(choices=Opportunity.Status.choices)
    note = forms.CharField(required=False, max_length=2000)
    leave_unfilled = forms.BooleanField(required=False)
