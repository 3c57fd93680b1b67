import functools
import secrets
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from patio.db import fold


class FormRenderer(TemplatesSetting):
    """Every form renders its fields one way: label, input, help and errors tied together with
    aria-describedby, in templates/forms/ (so pages never hand-roll a field)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


_F = TypeVar("_F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The form's field `name`, as the kind of field it is: `form.fields` only says `Field`."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind}.")
    return field


def _options_html(choices: Iterable[tuple[Any, Any]], chosen: set[str]) -> str:
    parts: list[str] = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup: (group name, [(value, label), …])
            parts.append(format_html('<optgroup label="{}">', value))
            parts.append(_options_html(label, chosen))
            parts.append("</optgroup>")
            continue
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        # Escaped as format_html would, without its per-call overhead: a country filter writes
        # 250 options on every page.
        parts.append(
            f'<option value="{conditional_escape(value)}"{selected}>{conditional_escape(label)}</option>'
        )
    return "".join(parts)


class _WrittenOptionsMixin(forms.Select):
    """A select whose options are written in Python rather than one template pass each.

    Same HTML as Django's select; a filter form offers hundreds of options (skills, countries,
    languages) and templating them was most of the directory page's time."""

    template_name = "forms/widgets/select.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)  # no per-option dicts
        if self.allow_multiple_selected:  # what Select.get_context would have set
            context["widget"]["attrs"]["multiple"] = True
        chosen = set(context["widget"]["value"])
        context["widget"]["options_html"] = mark_safe(_options_html(self.choices, chosen))  # noqa: S308 - escaped above
        return context


class Select(_WrittenOptionsMixin):
    pass


class SelectMultiple(_WrittenOptionsMixin, forms.SelectMultiple):
    pass


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Several choices as checkboxes: a short list plainly, a long one in a scrolling box with a
    "Filter the list" text box that static/js/checklist.js reveals and drives.

    Without JavaScript the box stays hidden and every checkbox still works and is sent. With it,
    typing hides the options whose label does not match (case and accents aside), a polite live
    region says how many are shown, and a line names what is chosen. Options in groups
    (`(group, [(value, label), …])`, skills by category) get a fieldset each. In a long list the
    chosen ones come first, so a reloaded page shows them without scrolling. Same name and
    values as a `<select multiple>`, so the field cleans and saves exactly as before.

    The options are written in Python, as the filter selects' are (`_WrittenOptionsMixin`): a
    template pass per option was most of a directory page's time."""

    template_name = "forms/widgets/checklist.html"
    # More options than this and the list scrolls and gets its filter box.
    PLAIN_UP_TO = 8

    class Media:
        js = [forms.Script("js/checklist.js", defer=True)]

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        *,
        order_by_label: bool = False,
        plain_up_to: int = PLAIN_UP_TO,
    ) -> None:
        super().__init__(attrs, choices)
        # Labels that are translated on the fly (a language's CLDR name) but ordered in the
        # database by another column read in the reader's alphabet this way.
        self.order_by_label = order_by_label
        self.plain_up_to = plain_up_to

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)  # no per-option dicts
        widget = context["widget"]
        widget_attrs = dict(widget["attrs"])
        list_id = str(widget_attrs.pop("id", "") or f"id_{name}")
        groups = _checklist_groups(self.choices)
        total = sum(len(options) for _group, options in groups)
        searchable = total > self.plain_up_to
        chosen = {str(v) for v in widget["value"]}
        widget.update(
            list_id=list_id,
            searchable=searchable,
            total=total,
            options_html=mark_safe(  # noqa: S308 - every part escaped by format_html
                _checklist_html(
                    groups,
                    name=name,
                    list_id=list_id,
                    chosen=chosen,
                    attrs=widget_attrs,
                    chosen_first=searchable,
                    by_label=self.order_by_label,
                )
            ),
        )
        if searchable:
            widget.update(
                filter_id=f"{list_id}_filter",
                # Translators: said as one types in a list's filter box: "12 of 39 shown".
                count_text=_("%(shown)s of %(total)s shown"),
                # Translators: above a list of checkboxes: "3 chosen: Python, Django, …".
                chosen_text=_("%(count)s chosen: %(names)s"),
                none_text=_("None chosen yet."),
                # Translators: what separates the names in "3 chosen: Python, Django, …".
                separator=pgettext("between the names of a list", ", "),
            )
        return context


_Option = tuple[int, str, str]  # (place in the original order, value, label)


def _checklist_groups(choices: Iterable[tuple[Any, Any]]) -> list[tuple[str, list[_Option]]]:
    """The choices as (group name or "", options); ungrouped options that follow each other
    share one unnamed group. Each option keeps its place, which its id is made from."""
    groups: list[tuple[str, list[_Option]]] = []
    index = 0
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            options = []
            for inner_value, inner_label in label:
                options.append((index, _choice_value(inner_value), str(inner_label)))
                index += 1
            groups.append((str(value), options))
            continue
        if not groups or groups[-1][0]:
            groups.append(("", []))
        groups[-1][1].append((index, _choice_value(value), str(label)))
        index += 1
    return groups


def _choice_value(value: Any) -> str:
    return "" if value is None else str(value)


def _checklist_html(
    groups: list[tuple[str, list[_Option]]],
    *,
    name: str,
    list_id: str,
    chosen: set[str],
    attrs: dict[str, Any],
    chosen_first: bool,
    by_label: bool,
) -> str:
    extra = flatatt(attrs)
    parts: list[str] = []
    for group, options in groups:
        if by_label:
            options = sorted(options, key=lambda option: fold(option[2]))
        if chosen_first:  # a stable sort: the chosen first, each part in its own order
            options = sorted(options, key=lambda option: option[1] not in chosen)
        items = "".join(
            format_html(
                '<li data-checklist-option><label for="{id}"><input type="checkbox" '
                'name="{name}" value="{value}" id="{id}"{checked}{extra}> {label}</label></li>',
                id=f"{list_id}_{index}",
                name=name,
                value=value,
                checked=flatatt({"checked": value in chosen}),
                extra=extra,
                label=label,
            )
            for index, value, label in options
        )
        if group:
            parts.append(
                format_html(
                    "<fieldset data-checklist-group><legend>{}</legend><ul>{}</ul></fieldset>",
                    group,
                    mark_safe(items),  # noqa: S308 - written by format_html above
                )
            )
        else:
            parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest at the top: how
    every page shows what a service refused, with what was typed kept."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def datalist_options(values: Iterable[str]) -> SafeString:
    """`<option>`s for a `<datalist>`, joined here rather than looped in a template: a co-op
    field may suggest hundreds of names."""
    return mark_safe(  # noqa: S308 - each value is escaped
        "".join(f'<option value="{escape(value)}"></option>' for value in values)
    )


class DatalistInput(forms.TextInput):
    """A text input that suggests values from a `<datalist>`: the browser's own autocomplete,
    so it works without JavaScript and the field still accepts whatever is typed.

    `options` is a callable, so the suggestions are read only when the field is drawn. When it
    returns None (too many to put in the page), the list starts empty and htmx fills it from
    `suggest_url` as the person types; that URL gets the field's value under the field's name
    and answers with `datalist_options`. Without JavaScript the field takes what is typed."""

    template_name = "forms/widgets/datalist.html"

    def __init__(
        self,
        options: Callable[[], Iterable[str] | None] | None = None,
        attrs: dict[str, Any] | None = None,
        suggest_url: str | None = None,
    ) -> None:
        super().__init__(attrs)
        self.options: Callable[[], Iterable[str] | None] = options or (lambda: [])
        self.suggest_url = suggest_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id') or name}-options"
        widget_attrs["list"] = list_id
        widget_attrs.setdefault("autocomplete", "off")
        context["widget"]["list_id"] = list_id
        options = self.options()
        if options is None and self.suggest_url:
            widget_attrs.update(
                {
                    "data-hx-get": self.suggest_url,
                    "data-hx-trigger": "input changed delay:250ms",
                    "data-hx-target": f"#{list_id}",
                    "data-hx-swap": "innerHTML",
                    "data-hx-sync": "this:replace",
                    "data-hx-push-url": "false",  # not the form's: a suggestion is no page
                }
            )
        context["widget"]["options"] = datalist_options(options or [])
        return context


# One-time form tokens ---------------------------------------------------------------------------
# A page form that moves money carries a fresh random token ({% form_token %}, from the
# form_tokens template library). The first POST with it claims the token, in the same transaction
# as the work, and keeps where it sent the reader; a second POST with it (a double click, a
# reload, a second tab sent at once) waits for the first to commit, does nothing and is sent to
# the same place. A POST that did not succeed (the form shown again with its errors, or an error)
# rolls back, token and all, so the person can correct it and send it again. The API's
# Idempotency-Key (patio/idempotency.py) is the same protection for partner tools.
FORM_TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
FORM_TOKEN_MAX_LENGTH = 64
_SUCCESS_STATUSES = frozenset({301, 302, 303})


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class SubmissionStore(Protocol):
    """Where one-time tokens are kept; the app that moves money provides it (patio knows no app)."""

    def claim(self, *, user: Any, endpoint: str, token: str) -> str | None:
        """Claim the token for this user and endpoint. None when the claim is new; otherwise the
        place the first submission sent the reader (after waiting for it to commit)."""

    def finish(self, *, user: Any, endpoint: str, token: str, location: str) -> None:
        """Keep where the first submission sent the reader."""


_View = TypeVar("_View", bound=Callable[..., HttpResponse])


def one_time_form(store: SubmissionStore) -> Callable[[_View], _View]:
    """Decorate a page view whose POST moves money: a token's second POST repeats nothing."""

    def decorate(view: _View) -> _View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            token = request.POST.get(FORM_TOKEN_FIELD) if request.method == "POST" else None
            if token is None or not request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if not 0 < len(token) <= FORM_TOKEN_MAX_LENGTH or not token.isprintable():
                return HttpResponseBadRequest(_("This form's token is not valid; reload the page."))
            endpoint = request.path
            with transaction.atomic():
                first = store.claim(user=request.user, endpoint=endpoint, token=token)
                if first is not None:
                    messages.info(request, _("This form was already sent: here is what it did."))
                    return HttpResponseRedirect(first)
                response = view(request, *args, **kwargs)
                location = response.headers.get("Location")
                if response.status_code in _SUCCESS_STATUSES and location:
                    store.finish(
                        user=request.user, endpoint=endpoint, token=token, location=location
                    )
                else:
                    transaction.set_rollback(True)
                return response

        return cast(_View, wrapper)

    return decorate
