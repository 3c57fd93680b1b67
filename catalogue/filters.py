"""Catalogue filters, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from catalogue.licences import Family
from catalogue.models import FunctionCategory, ProgrammingLanguage, Provider, Software
from catalogue.search import search_software
from catalogue.selectors import hosting_providers
from members.filters import LanguageFilter, SlugChoiceFilter, SlugMultipleChoiceFilter
from members.models import Language
from members.selectors import all_countries
from members.vocabulary import by_name
from patio.filters import FilterSet


@extend_schema_field(OpenApiTypes.STR)
class CountryFilter(django_filters.ChoiceFilter):
    """One country by its ISO code; the schema lists the codes (patio.filters)."""


def _yes_no() -> forms.Select:
    """A yes/no filter that says "Any" when unset, rather than Django's "Unknown"."""
    return forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Several entries by address, `slug=loomio,decidim`: what a comparison reads."""


class SoftwareFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_("A name, a word, or “instead of Slack”."),
    )
    function = SlugMultipleChoiceFilter(
        label=_("What it does"),
        field_name="categories__slug",
        to_field_name="slug",
        queryset=FunctionCategory.objects.all(),
        distinct=True,
    )
    licence = django_filters.MultipleChoiceFilter(
        label=_("Licence family"), field_name="licence_family", choices=Family.choices
    )
    open_source = django_filters.BooleanFilter(
        label=_("Open source"), field_name="is_open_source", widget=_yes_no()
    )
    hosting = django_filters.MultipleChoiceFilter(
        label=_("Hosting"), choices=Software.Hosting.choices, method="filter_hosting"
    )
    language = LanguageFilter(
        label=_("Interface language"),
        field_name="ui_languages",
        to_field_name="code",
        queryset=Language.objects.all(),
    )
    programming_language = SlugChoiceFilter(
        label=_("Programming language"),
        field_name="programming_languages",
        to_field_name="slug",
        queryset=ProgrammingLanguage.objects.all(),
        empty_label=_("Any"),
    )
    provider_country = CountryFilter(
        label=_("A provider works in"),
        choices=countries,
        method="filter_provider_country",
        empty_label=_("Any country"),
    )
    made_by_coop = django_filters.BooleanFilter(
        label=_("Made by a network co-op"), method="filter_made_by_coop", widget=_yes_no()
    )
    maturity = django_filters.MultipleChoiceFilter(
        label=_("Maturity"), choices=Software.Maturity.choices
    )

    class Meta:
        model = Software
        fields = [
            "q",
            "function",
            "licence",
            "open_source",
            "hosting",
            "language",
            "programming_language",
            "provider_country",
            "made_by_coop",
            "maturity",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every country, named once per language (members.selectors): a provider may work
        # anywhere. Iterating django-countries translated and sorted 250 names twice a request.
        self.filters["provider_country"].extra["choices"] = all_countries
        function = self.filters["function"]
        if isinstance(function, SlugMultipleChoiceFilter):
            function.queryset = by_name(FunctionCategory.objects.all())

    def filter_search(self, queryset, name, value):
        return search_software(queryset, value)

    def filter_hosting(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q()
        for choice in value:
            if choice == Software.Hosting.MANAGED:
                # Derived: a member co-op provides hosting (the selectors' `managed`).
                condition |= Q(Exists(hosting_providers().filter(software=OuterRef("pk"))))
            else:
                condition |= Q(**{Software.HOSTING_FIELDS[choice]: True})
        return queryset.filter(condition)

    def filter_provider_country(self, queryset, name, value):
        """Entries with a provider covering the country, or working anywhere (no country)."""
        if not value:
            return queryset
        providers = Provider.objects.filter(
            Q(countries__contains=value) | Q(countries=""),
            software=OuterRef("pk"),
            organisation__status="member",
        )
        return queryset.filter(Exists(providers))

    def filter_made_by_coop(self, queryset, name, value):
        if value is None:
            return queryset
        makers = Software.makers.through.objects.filter(
            software=OuterRef("pk"), organisation__status="member"
        )
        return queryset.filter(Exists(makers) if value else ~Exists(makers))


class SoftwareApiFilter(SoftwareFilter):
    """The API's filters: the page's, plus `search=` as another name for `q`."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    slug = SlugsFilter(
        label=_("Entries"),
        field_name="slug",
        lookup_expr="in",
        help_text=_("The entries' addresses, separated by commas, as the comparison page takes."),
    )
