"""Filters shared by the API lists."""

from __future__ import annotations

import django_filters

from assemblies.models import ActionItem, AgendaItem, Assembly, CircleUpdate, Decision
from members.permissions import person_of
from patio.filters import FilterSet


class AssemblyApiFilter(FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = Assembly
        fields = ["status", "series"]


class AgendaItemApiFilter(FilterSet):
    class Meta:
        model = AgendaItem
        fields = ["assembly", "kind"]


class CircleUpdateApiFilter(FilterSet):
    circle = django_filters.CharFilter(field_name="circle__slug")

    class Meta:
        model = CircleUpdate
        fields = ["assembly"]


class DecisionApiFilter(FilterSet):
    class Meta:
        model = Decision
        fields = ["assembly", "method", "outcome"]


class ActionItemApiFilter(FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only the caller's own")

    class Meta:
        model = ActionItem
        fields = ["assembly", "owner", "status"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        person = person_of(self.request.user) if self.request else None
        return queryset.filter(owner=person) if person else queryset.none()
