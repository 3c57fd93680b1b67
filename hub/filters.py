"""Hub filters, shared by the hub page and the API: search, category, tag and language."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hub.models import Guide, GuideTranslation, Tag
from hub.search import search_guides
from members.filters import SlugChoiceFilter
from patio.filters import FilterSet


class GuideFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Guide.Category.choices, empty_label=_("Any category")
    )
    tag = SlugChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        empty_label=_("Any tag"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Readable in"),
        choices=settings.LANGUAGES,
        method="filter_language",
        empty_label=_("Any language"),
    )

    class Meta:
        model = Guide
        fields = ["q", "category", "tag", "language"]

    def filter_search(self, queryset, name, value):
        return search_guides(queryset, value) if value else queryset

    def filter_language(self, queryset, name, value):
        """Written in the language, or translated into it."""
        translated = GuideTranslation.objects.filter(guide=OuterRef("pk"), language=value)
        return queryset.filter(Q(language=value) | Exists(translated))
