"""Circle filters, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMembership
from patio.dates import network_today
from patio.filters import FilterSet, IdFilter


class CircleFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Circle.Status.choices)
    parent = django_filters.CharFilter(
        label=_("Parent circle (slug)"), field_name="parent__slug", max_length=140
    )
    triages_help_requests = django_filters.BooleanFilter(label=_("Triages help requests"))

    class Meta:
        model = Circle
        fields = ["status", "parent", "triages_help_requests"]


class CircleMembershipFilter(FilterSet):
    circle = django_filters.CharFilter(
        label=_("Circle (slug)"), field_name="circle__slug", max_length=140
    )
    person = IdFilter(label=_("Person (id)"), field_name="person_id")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=CircleMembership.Role.choices)
    current = django_filters.BooleanFilter(
        label=_("Held today (true) or not (false)"), method="filter_current"
    )

    class Meta:
        model = CircleMembership
        fields = ["circle", "person", "role", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = network_today()
        held = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        return queryset.filter(held) if value else queryset.exclude(held)
