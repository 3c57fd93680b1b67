"""Forms for the hub's pages: they clean what is typed; the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from hub.models import Guide
from patio.forms import Select, field_of
from patio.i18n import language_name


def _tag_names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class GuideForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Words a reader would look for, separated by commas (at most 8)."),
    )

    class Meta:
        model = Guide
        fields = ["title", "summary", "category", "language", "reviewer_circle", "body"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 20}),
            "category": Select,
            "language": Select,
            "reviewer_circle": Select,
        }
        help_texts = {
            "body": _(
                "In Markdown: ## for a heading, **bold**, - for a list, [words](address) for a "
                "link. The reading time is counted from it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        circles = field_of(self, "reviewer_circle", forms.ModelChoiceField)
        circles.queryset = Circle.objects.filter(status=Circle.Status.ACTIVE).order_by("name")
        circles.empty_label = _("Choose the circle that reviews it")
        field_of(self, "category", forms.ChoiceField).choices = [
            ("", _("Choose a category")),
            *Guide.Category.choices,
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["tags"] = _tag_names(data.pop("tags", ""))
        return data


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the translation"), widget=Select)
    title = forms.CharField(label=_("Translated title"), max_length=160)
    summary = forms.CharField(
        label=_("Translated summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=_("Translated text"),
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("The whole guide, in Markdown, in that language."),
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


def languages_open(guide: Guide) -> list[str]:
    """The site's languages this guide has no text in yet."""
    taken = {guide.language, *(t.language for t in guide.translations.all())}
    return [code for code, _name in settings.LANGUAGES if code not in taken]


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the authors change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


STEP_FIELDS = 8


class PathForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("What it is for"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suggested_to_newcomers = forms.BooleanField(
        label=_("Suggest it to new members on their home page"), required=False
    )

    def __init__(self, *args, guides=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.guides = {str(g.pk): g for g in guides}
        choices = [("", _("(none)")), *((str(g.pk), g.title) for g in guides)]
        for n in range(1, STEP_FIELDS + 1):
            self.fields[f"step_{n}"] = forms.ChoiceField(
                label=_("Guide %(n)d") % {"n": n},
                choices=choices,
                required=n == 1,
                widget=Select,
            )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        chosen = [data[f"step_{n}"] for n in range(1, STEP_FIELDS + 1) if data.get(f"step_{n}")]
        return {
            "title": data["title"],
            "description": data["description"],
            "suggested_to_newcomers": data["suggested_to_newcomers"],
            "guides": [self.guides[pk] for pk in chosen],
        }
