"""The base for every filter set of the site's pages and API, and the API's ordering filter.

A filter that cannot apply is refused, never ignored: a value it cannot read, a number beyond
what the database holds, a filter sent without the one it needs (`requires`), an ordering the
list does not offer. Each is a form error on a page and a 400 problem in the API, and the bounds
and choices are written into the OpenAPI schema (`document_parameter`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_countries import Countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from patio import forms as patio_forms
from patio.db import fold

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

# What a yes/no filter reads: the API's words, and what Django's NullBooleanSelect sends.
BOOLEAN_WORDS = frozenset({"", "true", "false", "unknown"})

# The widest whole number the database compares (PostgreSQL's bigint): beyond it, a filter is a
# 400 rather than an overflow deep in the database driver.
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1

# A select offering several choices becomes checkboxes: a `<select multiple>` needs Ctrl-click,
# which people on phones and many others never find.
_FAST_WIDGETS = {
    forms.Select: patio_forms.Select,
    forms.SelectMultiple: patio_forms.SearchableCheckboxes,
}


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT_MAX})
class IdFilter(django_filters.Filter):
    """Rows that point at one object, given by its id: a whole number, from 1."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with selects that render their (many) options fast, several
    choices as checkboxes (`patio.forms.SearchableCheckboxes`), yes/no
    filters that refuse a value they cannot read instead of ignoring it, numbers kept to what the
    database holds, and filters that need another one.

    `requires = {"min_level": "skill"}`: `min_level` means something only with `skill`, so
    sending it alone is an error on `min_level`."""

    requires: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            # A form field built from the class's filter (the OpenAPI schema reads `.field` off
            # `base_filters`) is cached on it and deep-copied here: drop it, so the field is built
            # from this instance's widget and bounds, not the defaults it had then.
            filter_.__dict__.pop("_field", None)
            widget = _FAST_WIDGETS.get(filter_.field_class.widget)
            if widget and "widget" not in filter_.extra:
                filter_.extra["widget"] = widget
            if isinstance(filter_, django_filters.NumberFilter):
                low, high = number_bounds(filter_)
                filter_.extra.update(min_value=low, max_value=high)

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()
        data = self.data or {}
        for name, filter_ in self.filters.items():
            if not isinstance(filter_, django_filters.BooleanFilter):
                continue
            value = data.get(name)
            if value is not None and value not in BOOLEAN_WORDS:
                self.form.add_error(name, _("Send true or false."))
                valid = False
        for name, needed in self.requires.items():
            if data.get(name) not in (None, "") and data.get(needed) in (None, ""):
                labels = {"name": self._label(name), "needed": self._label(needed)}
                self.form.add_error(
                    name, _("%(name)s applies only together with %(needed)s.") % labels
                )
                valid = False
        return valid

    def _label(self, name: str) -> str:
        return str(self.filters[name].label or name)


def sent_values(filterset: django_filters.FilterSet) -> list[tuple[str, list[str]]]:
    """Each filter's values as the request sent them, in the filter set's order (unknown
    parameters and the page left out): what a count is cached by and a download is named after."""
    data = filterset.data if filterset.data is not None else {}
    found = []
    for name in filterset.filters:
        if isinstance(data, QueryDict):
            values = data.getlist(name)
        else:
            value = data.get(name)
            values = [] if value in (None, "") else [str(value)]
        found.append((name, values))
    return found


def number_bounds(filter_: django_filters.NumberFilter) -> tuple[Any, Any]:
    """The least and greatest number a filter takes: what it declares, within bigint."""
    low, high = filter_.extra.get("min_value"), filter_.extra.get("max_value")
    return (
        BIGINT_MIN if low is None else max(low, BIGINT_MIN),
        BIGINT_MAX if high is None else min(high, BIGINT_MAX),
    )


if TYPE_CHECKING:  # generic in the stubs only
    _Iterator = ModelChoiceIterator[Any]
    _ChoiceField = forms.ModelChoiceField[Any]
else:
    _Iterator = ModelChoiceIterator
    _ChoiceField = forms.ModelChoiceField


class _ByShownName(_Iterator):
    """The choices in the alphabetical order of the names shown, which are translated on the
    fly (a language's CLDR name in the reader's language) while the table orders another column."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from sorted(
            (self.choice(obj) for obj in self.queryset), key=lambda choice: fold(str(choice[1]))
        )


class _ByShownNameField(_ChoiceField):
    iterator = _ByShownName


class EnumeratedChoiceFilter(django_filters.ModelChoiceFilter):
    """One object chosen by its code (languages). The codes are data, so the schema gives their
    form, not a list: a schema read from the database would change with it, and could not be
    made at all before the tables exist (`manage.py check`). An unknown code is a 400. On a page
    the choices read in the order of their shown names."""

    code_pattern = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
    field_class = _ByShownNameField  # type: ignore[assignment]  # stubs name the base class


def document_parameter(filterset_class: type[FilterSet] | None, parameter: dict[str, Any]) -> None:
    """Write a filter's bounds, choices and needs into its OpenAPI parameter."""
    filters = getattr(filterset_class, "base_filters", {})
    name = parameter.get("name")
    filter_ = filters.get(name)
    schema = parameter.get("schema", {})
    target = schema.get("items", schema) if schema.get("type") == "array" else schema
    if isinstance(filter_, django_filters.NumberFilter):
        low, high = number_bounds(filter_)
        target.setdefault("minimum", _plain(low))
        target.setdefault("maximum", _plain(high))
    elif target.get("type") == "integer" and "enum" not in target:
        target.setdefault("minimum", BIGINT_MIN)
        target.setdefault("maximum", BIGINT_MAX)
    if isinstance(filter_, django_filters.TypedChoiceFilter) and target.get("type") == "integer":
        numbers = [value for value, _label in filter_.extra.get("choices", ())]
        if numbers:
            target.update(minimum=min(numbers), maximum=max(numbers))
    choices = filter_.extra.get("choices") if filter_ is not None else None
    if isinstance(choices, Countries):  # callable, so drf-spectacular leaves it out
        target["enum"] = sorted(code for code, _name in choices)
    if isinstance(filter_, EnumeratedChoiceFilter):
        target["pattern"] = filter_.code_pattern
    needed = filterset_class.requires.get(name or "") if filterset_class else None
    if needed:
        note = _("Only together with `%(needed)s`.") % {"needed": needed}
        parameter["description"] = f"{parameter.get('description') or ''}\n\n{note}".strip()


def _plain(number: Any) -> int | float:
    return int(number) if int(number) == number else float(number)


class StrictOrderingFilter(OrderingFilter):
    """`ordering=` with one of the fields a view offers (`ordering_fields`), `-` first to reverse:
    anything else is a 400, not the default order passed off as the one asked. Ties are broken
    by id, so one field is all a partner needs; the schema lists the choices."""

    def allowed(self, view: APIView) -> list[str]:
        fields = list(getattr(view, "ordering_fields", None) or [])
        return [term for name in fields for term in (name, f"-{name}")]

    def get_ordering(self, request: Request, queryset: Any, view: APIView) -> Any:
        sent = request.query_params.getlist(self.ordering_param)
        if not sent or sent == [""]:
            return self.get_default_ordering(view)
        allowed = self.allowed(view)
        if len(sent) > 1 or sent[0] not in allowed:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one of: %(choices)s.") % {"choices": ", ".join(allowed)}
                    ]
                }
            )
        return [sent[0]]

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        allowed = self.allowed(view)
        if not allowed:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": _(
                    "The field the list is ordered by; `-` first for the reverse order. Ties, "
                    "and empty values (last going up, first going down), keep a fixed order."
                ),
                "schema": {"type": "string", "enum": allowed},
            }
        ]
