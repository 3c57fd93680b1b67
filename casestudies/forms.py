"""Forms for the case-study pages: they clean what is typed; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casestudies.models import CONSENT_NOTE_MAX, SUMMARY_MAX, TEXT_MAX, CaseStudy
from catalogue.models import Software


def _software_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Software the project used"),
        queryset=Software.objects.filter(status=Software.Status.PUBLISHED).order_by("name", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Entries of the catalogue: the case study shows on their pages."),
    )


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    software = _software_field()


class CaseStudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One sentence, shown in lists."),
    )
    story = forms.CharField(
        label=_("The story"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What the client needed and how the team worked, in Markdown: ## for a heading, "
            "**bold**, - for a list, [words](address) for a link."
        ),
    )
    outcome = forms.CharField(
        label=_("The outcome"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What came of it for the client, in Markdown."),
    )
    software = _software_field()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        software = list(data.pop("software"))
        return {"data": data, "software": software}


class ConsentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the client agreed"),
        choices=CaseStudy.ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    given_by = forms.CharField(
        label=_("Who agreed for the client"),
        max_length=200,
        help_text=_("Their name and role, such as “Ana Ruiz, secretary of the board”."),
    )
    note = forms.CharField(
        label=_("Consent note"),
        max_length=CONSENT_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What they agreed to, and where the written consent is kept."),
    )


class PublishForm(forms.Form):
    """No fields: it carries what the service refused (permission missing, story unwritten)."""
