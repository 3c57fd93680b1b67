"""Filters of the offers and wants board, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from members.filters import SlugChoiceFilter
from members.models import Skill
from members.selectors import all_countries
from offers.models import Post, Tag
from offers.search import search_posts
from patio.filters import FilterSet


class PostFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    exchange = django_filters.ChoiceFilter(
        label=_("Offers or wants"), choices=Post.Exchange.choices, empty_label=_("Both")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Post.Kind.choices, empty_label=_("Any kind")
    )
    scope = django_filters.ChoiceFilter(
        label=pgettext_lazy("where an offer or want applies", "Scope"),
        choices=Post.Scope.choices,
        empty_label=_("Any scope"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=countries, empty_label=_("Any country")
    )
    skill = SlugChoiceFilter(
        label=_("Skill"),
        field_name="skills",
        to_field_name="slug",
        queryset=Skill.objects.all(),
        empty_label=_("Any skill"),
        distinct=True,
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        to_field_name="name",
        queryset=Tag.objects.all(),
        empty_label=_("Any tag"),
        distinct=True,
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Post.State.choices, empty_label=_("Any state")
    )

    class Meta:
        model = Post
        fields = ["q", "exchange", "kind", "scope", "country", "skill", "tag", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every country, named once per language (members.selectors), not on every request.
        self.filters["country"].extra["choices"] = all_countries

    def filter_search(self, queryset, name, value):
        return search_posts(queryset, value)
