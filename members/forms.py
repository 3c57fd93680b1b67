from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import (
    Invitation,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    timezone_names,
)
from members.vocabulary import by_name
from patio import emails
from patio.forms import SearchableCheckboxes, field_of
from patio.uploads import LimitedImageField


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(timezone_names())]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Timezone"), choices=timezone_choices)

    class Meta:
        model = Person
        fields = [
            *Person.PROFILE_FIELDS,
            "open_to_matching",
            "workday_start",
            "workday_end",
            *Person.VISIBILITY_FIELDS,
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "workday_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "workday_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class EmailPreferencesForm(forms.Form):
    """One choice per kind of event email (the kinds the apps register in patio.emails):
    immediately, in a daily or a weekly digest, or never."""

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in emails.kinds():
            self.fields[f"kind_{kind.key}"] = forms.ChoiceField(
                label=str(kind.label),
                help_text=str(kind.description),
                choices=Person.Notify.choices,
                initial=person.email_choice(kind.key),
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, str]:
        return {
            name.removeprefix("kind_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("kind_")
        }


class PersonSkillForm(forms.ModelForm):
    class Meta:
        model = PersonSkill
        fields = ["skill", "level", "years"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill = field_of(self, "skill", forms.ModelChoiceField)
        skill.queryset = by_name(Skill.objects.all())


class BaseUniqueFormSet(forms.BaseModelFormSet):
    """A formset whose rows must not repeat one field (a skill or a language)."""

    unique_field = ""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            value = form.cleaned_data.get(self.unique_field)
            if value in seen:
                form.add_error(self.unique_field, _("This is already listed above."))
            seen.add(value)

    def items(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k not in {"DELETE", "id"}}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class SkillFormSet(BaseUniqueFormSet):
    unique_field = "skill"


class LanguageFormSet(BaseUniqueFormSet):
    unique_field = "language"


# The factories are typed as returning the base class; these are the subclasses they build.
PersonSkillFormSet = cast(
    type[SkillFormSet],
    forms.modelformset_factory(
        PersonSkill,
        form=PersonSkillForm,
        formset=SkillFormSet,
        extra=2,
        can_delete=True,
        max_num=60,
        validate_max=True,
    ),
)

PersonLanguageFormSet = cast(
    type[LanguageFormSet],
    forms.modelformset_factory(
        PersonLanguage,
        fields=["language", "proficiency"],
        formset=LanguageFormSet,
        extra=1,
        can_delete=True,
        max_num=20,
        validate_max=True,
    ),
)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_description",
            "description",
            "country",
            "city",
            "founded",
            "size",
            "website",
            "sectors",
            "services",
            "languages",
            "federations",
            "logo",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "services": forms.Textarea(attrs={"rows": 4}),
            "sectors": SearchableCheckboxes,
            # Ordered by the stored English name, shown by CLDR's name in the reader's language.
            "languages": SearchableCheckboxes(order_by_label=True),
            "federations": SearchableCheckboxes,
        }
        # Refused while it streams when over settings.UPLOAD_MAX_BYTES, with the limit said.
        field_classes = {"logo": LimitedImageField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sectors = field_of(self, "sectors", forms.ModelMultipleChoiceField)
        sectors.queryset = by_name(Sector.objects.all())


class OrganisationAdminForm(OrganisationForm):
    """Network admins also set the address (its old one then leads to the new), the kind and
    the membership status, and what its page says once it has left."""

    class Meta(OrganisationForm.Meta):
        fields = [
            *OrganisationForm.Meta.fields,
            "slug",
            "kind",
            "status",
            "dissolved",
            "left_reason",
        ]


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "display_name", "as_coop_admin"]


class NewOrganisationInvitationForm(forms.Form):
    """A network admin adds a co-op and invites its first admin in one step."""

    name = forms.CharField(label=_("Co-op name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    country = Organisation._meta.get_field("country").formfield()
    short_description = forms.CharField(label=_("Short description"), max_length=280)
    email = forms.EmailField(label=_("Email of its first admin"))
    display_name = forms.CharField(label=_("Their name"), max_length=120, required=False)
