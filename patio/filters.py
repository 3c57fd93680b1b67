"""The base for every filter set of the site's pages and API."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext as _

from patio import forms as patio_forms

# What a yes/no filter reads: the API's words, and what Django's NullBooleanSelect sends.
BOOLEAN_WORDS = frozenset({"", "true", "false", "unknown"})

_FAST_WIDGETS = {forms.Select: patio_forms.Select, forms.SelectMultiple: patio_forms.SelectMultiple}


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with selects that render their (many) options fast, and
    yes/no filters that refuse a value they cannot read instead of ignoring it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            widget = _FAST_WIDGETS.get(filter_.field_class.widget)
            if widget and "widget" not in filter_.extra:
                filter_.extra["widget"] = widget

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
        return valid
