"""Filters of the discussions list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from discussions.models import Thread
from discussions.search import search_threads
from patio.filters import FilterSet


class ThreadFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    circle = django_filters.ModelChoiceFilter(
        label=_("Circle"),
        field_name="circle",
        to_field_name="slug",
        queryset=Circle.objects.all(),
        empty_label=_("Any circle"),
    )
    visibility = django_filters.ChoiceFilter(
        label=_("Who may read it"), choices=Thread.Visibility.choices, empty_label=_("Anyone")
    )

    class Meta:
        model = Thread
        fields = ["q", "circle", "visibility"]

    def filter_search(self, queryset, name, value):
        return search_threads(queryset, value)
