"""The forms of discussions: a new thread, a reply, an edit, hiding a comment, a poll."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import BODY_MAX, REASON_MAX, TITLE_MAX, Thread
from polls.forms import PollForm

MARKDOWN_HELP = _(
    "Markdown works (**bold**, lists, links). Mention someone with @ and their name in lower "
    "case, with hyphens for spaces: @ana-garcia."
)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"), choices=Thread.Visibility.choices, widget=forms.RadioSelect
    )
    with_poll = forms.BooleanField(
        label=_("Add a poll to it next"),
        required=False,
        help_text=_("A proposal, a choice, scores, a ranking, dots or a time: you choose next."),
    )

    def __init__(self, *args, in_circle: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["visibility"]
        assert isinstance(field, forms.ChoiceField)
        if in_circle:
            field.initial = Thread.Visibility.CIRCLE
        else:
            field.choices = [c for c in Thread.Visibility.choices if c[0] != "circle"]
            field.initial = Thread.Visibility.NETWORK


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The earlier text stays in the comment's history, which readers can open."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why hide it?"),
        max_length=REASON_MAX,
        help_text=_("Readers see that it was hidden, by whom, and this reason."),
    )


class ThreadPollForm(PollForm):
    """A poll inside a discussion: the discussion's circle is the poll's, so no circle field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["circle"]

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        data.pop("circle", None)
        return data
