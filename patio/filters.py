"""The base for every filter set of the site's pages and API."""

from typing import Any

import django_filters
from django import forms

from patio import forms as patio_forms

_FAST_WIDGETS = {forms.Select: patio_forms.Select, forms.SelectMultiple: patio_forms.SelectMultiple}


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with selects that render their (many) options fast."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            widget = _FAST_WIDGETS.get(filter_.field_class.widget)
            if widget and "widget" not in filter_.extra:
                filter_.extra["widget"] = widget
