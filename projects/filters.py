"""Opportunity filters, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from members.filters import SlugChoiceFilter, vocabulary_by_name
from members.models import Language, Skill
from patio.filters import FilterSet
from projects.models import CURRENCIES, MAX_BUDGET, Opportunity, OpportunityRole, RoleSkill


class OpportunityFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    skill = SlugChoiceFilter(
        label=_("Skill needed"),
        to_field_name="slug",
        queryset=Skill.objects.all(),
        method="filter_skill",
    )
    language = SlugChoiceFilter(
        label=_("Working language"),
        field_name="working_languages",
        to_field_name="code",
        queryset=Language.objects.all(),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Opportunity.Status.choices, distinct=False
    )
    circle = SlugChoiceFilter(
        label=_("Circle"),
        field_name="circle",
        to_field_name="slug",
        queryset=Circle.objects.all(),
    )
    budget_min = django_filters.NumberFilter(
        label=_("Budget at least"),
        field_name="budget",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_BUDGET,
    )
    budget_max = django_filters.NumberFilter(
        label=_("Budget at most"),
        field_name="budget",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_BUDGET,
    )
    currency = django_filters.ChoiceFilter(
        label=_("Currency"), choices=CURRENCIES, help_text=_("Budgets are compared in it.")
    )

    # Budgets in different currencies do not compare.
    requires = {"budget_min": "currency", "budget_max": "currency"}

    class Meta:
        model = Opportunity
        fields = [
            "q",
            "skill",
            "language",
            "status",
            "circle",
            "budget_min",
            "budget_max",
            "currency",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vocabulary_by_name(self)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(
                Exists(
                    OpportunityRole.objects.filter(
                        opportunity=OuterRef("pk"), title__icontains=value
                    )
                )
            )
        )

    def filter_skill(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Exists(RoleSkill.objects.filter(skill=value, role__opportunity=OuterRef("pk")))
        )


class OpportunityApiFilter(OpportunityFilter):
    """The API's filters: the page's, plus `search=` as another name for `q`."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
