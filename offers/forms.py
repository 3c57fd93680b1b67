"""The forms of offers and wants: a post, a reply, a saved search."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Skill
from members.vocabulary import by_name
from offers.models import REPLY_MAX, TAGS_MAX, Post, SavedSearch
from offers.services import POST_FIELDS, post_rules_check
from patio import forms as patio_forms
from patio.dates import network_today
from patio.forms import add_service_errors, field_of


class TagsField(forms.CharField):
    """Tags typed as words separated by commas."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value


class PostForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=patio_forms.SearchableCheckboxes(order_by_label=True),
    )
    tags = TagsField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Up to %(count)d words, separated by commas.") % {"count": TAGS_MAX},
    )
    for_coop = forms.BooleanField(label=_("Post this for my co-op"), required=False)

    class Meta:
        model = Post
        fields = list(POST_FIELDS)
        widgets = {
            "exchange": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 8}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, can_post_for_coop: bool = False, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "skills", forms.ModelMultipleChoiceField).queryset = by_name(
            Skill.objects.all()
        )
        # A post is an offer or a want: no blank choice among the two.
        field_of(self, "exchange", forms.TypedChoiceField).choices = Post.Exchange.choices
        if not editing:
            self.fields["starts_on"].initial = network_today()
        if not can_post_for_coop or editing:
            del self.fields["for_coop"]

    def clean(self):
        """The service's rules, next to their fields: a field in error is then left out of the
        model's constraint checks, which would only say "Constraint … is violated"."""
        cleaned = super().clean() or {}
        if all(name in cleaned for name in ("scope", "starts_on", "ends_on")):
            draft = Post(**{name: cleaned.get(name) or "" for name in ("scope", "country")})
            draft.starts_on, draft.ends_on = cleaned["starts_on"], cleaned["ends_on"]
            try:
                post_rules_check(draft, today=network_today())
            except ValidationError as error:
                add_service_errors(self, error)
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in POST_FIELDS}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The poster gets it by email and on the post's page; they see your name and co-op."
        ),
    )


class SavedSearchForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=patio_forms.SearchableCheckboxes(order_by_label=True),
    )
    tags = TagsField(label=_("Tags"), required=False, max_length=400)

    class Meta:
        model = SavedSearch
        fields = ["name", "exchange", "kind", "country", "frequency"]
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "skills", forms.ModelMultipleChoiceField).queryset = by_name(
            Skill.objects.all()
        )
        self.fields["name"].required = False

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
