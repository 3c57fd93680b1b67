"""Forms for the policy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patio.forms import Select, field_of
from patio.i18n import language_name, site_languages
from policies.models import Amendment, ConsentResponse, Policy


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["title", "text", "rationale"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 14}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"text": _("The whole new text, in Markdown.")}


class NewPolicyForm(AmendmentForm):
    new_policy_category = forms.ChoiceField(
        label=_("Category"), choices=Policy.Category.choices, widget=Select
    )

    class Meta(AmendmentForm.Meta):
        fields = ["title", "new_policy_category", "text", "rationale"]


class ReviseForm(forms.Form):
    text = forms.CharField(label=_("Revised text"), widget=forms.Textarea(attrs={"rows": 14}))
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    integrates = forms.TypedMultipleChoiceField(
        label=_("Objections this revision integrates"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, objections=(), **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "integrates", forms.ChoiceField).choices = [
            (r.pk, f"{r.person.display_name}: {r.reason[:120]}") for r in objections
        ]
        if not objections:
            del self.fields["integrates"]


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=ConsentResponse.Answer.choices,
        widget=forms.RadioSelect,
        help_text=_("A concern is noted and does not block; an objection needs a reason."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("noun, a field", "Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("From version"), coerce=int, widget=Select)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int, widget=Select)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(n)s") % {"n": n}) for n in numbers]
        field_of(self, "a", forms.ChoiceField).choices = choices
        field_of(self, "b", forms.ChoiceField).choices = choices


class _SiteLanguageField(forms.ChoiceField):
    """Offers the languages still open, accepts any of the site's: a language taken meanwhile (a
    second tab) or the original's own is then refused by the service, which says why."""

    def valid_value(self, value: str) -> bool:
        return value in {code for code, _name in site_languages()}


class TranslationForm(forms.Form):
    language = _SiteLanguageField(label=_("Language of the translation"), widget=Select)
    title = forms.CharField(label=_("Translated title"), max_length=160)
    text = forms.CharField(
        label=_("Translated text"),
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("The whole text of the current version, in Markdown, in that language."),
    )

    def __init__(self, *args, offered=(), adding=True, **kwargs):
        super().__init__(*args, **kwargs)
        if adding:
            field_of(self, "language", forms.ChoiceField).choices = [
                ("", _("Choose a language")),
                *((code, language_name(code)) for code in offered),
            ]
        else:
            del self.fields["language"]
