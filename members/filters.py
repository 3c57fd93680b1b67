"""Directory filters, shared by the pages and the API."""

from __future__ import annotations

import zoneinfo
from typing import Any

import django_filters
import django_filters.fields
import django_filters.filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from members.models import (
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    SkillCategory,
    timezone_names,
)
from members.search import search_organisations, search_people
from members.selectors import (
    all_countries,
    coop_names,
    federations_visible_to,
    network_countries,
    organisations_visible_to,
)
from members.vocabulary import by_name
from patio.db import fold
from patio.filters import EnumeratedChoiceFilter, FilterSet
from patio.forms import DatalistInput, SearchableCheckboxes


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """One object chosen by its slug (or code)."""


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several objects chosen by slug; repeat the parameter for each."""


class _LevelField(django_filters.fields.ChoiceField, forms.TypedChoiceField):
    """A level select that starts blank ("Any level"): without the blank a browser sends the
    first level, and a minimum level is refused without a skill."""


@extend_schema_field(OpenApiTypes.INT)
class LevelFilter(django_filters.TypedChoiceFilter):
    """A skill level, 1 (learning) to 4 (can teach)."""

    field_class = _LevelField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Any level"))
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class LanguageFilter(EnumeratedChoiceFilter):
    """A language by its code (`es`); the schema lists the network's codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Any language"))
        super().__init__(*args, **kwargs)


def zones_with_offset_between(low_hours: float | None, high_hours: float | None) -> list[str]:
    """IANA zones whose UTC offset *today* lies in the range: right across DST changes."""
    now = timezone.now()
    low = -14 if low_hours is None else low_hours
    high = 14 if high_hours is None else high_hours
    found = []
    for name in timezone_names():
        offset = now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
        hours = offset.total_seconds() / 3600 if offset is not None else 0
        if low <= hours <= high:
            found.append(name)
    return found


def vocabulary_by_name(filterset: FilterSet) -> None:
    """Sector, skill and category choices in the order the reader reads their names."""
    for filter_ in filterset.filters.values():
        if not isinstance(filter_, django_filters.filters.QuerySetRequestMixin):
            continue
        queryset = filter_.queryset  # a callable one is made per request already
        if isinstance(queryset, QuerySet) and queryset.model in (Sector, Skill, SkillCategory):
            filter_.queryset = by_name(queryset.model._default_manager.all())


class OrganisationFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"),
        choices=countries,
        distinct=False,
        widget=SearchableCheckboxes(order_by_label=True),
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, distinct=False
    )
    sector = SlugMultipleChoiceFilter(
        label=_("Sector"),
        field_name="sectors__slug",
        to_field_name="slug",
        queryset=Sector.objects.all(),
        distinct=True,
    )
    skill = SlugChoiceFilter(
        label=_("Skill of their people"),
        to_field_name="slug",
        queryset=Skill.objects.all(),
        method="filter_skill",
    )
    language = LanguageFilter(
        label=_("Working language"),
        field_name="languages",
        to_field_name="code",
        queryset=Language.objects.all(),
    )
    federation = SlugChoiceFilter(
        label=_("Member of the federation"),
        to_field_name="slug",
        empty_label=_("Any"),
        # django-filter calls a callable queryset with the request; the stubs want a QuerySet.
        queryset=lambda request: federations_visible_to(getattr(request, "user", None)),  # type: ignore[arg-type]
        method="filter_federation",
    )
    size_min = django_filters.NumberFilter(
        label=_("At least (people)"), field_name="size", lookup_expr="gte", min_value=0
    )
    size_max = django_filters.NumberFilter(
        label=_("At most (people)"), field_name="size", lookup_expr="lte", min_value=0
    )

    class Meta:
        model = Organisation
        fields = [
            "q",
            "country",
            "kind",
            "sector",
            "skill",
            "language",
            "federation",
            "size_min",
            "size_max",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = network_countries
        vocabulary_by_name(self)

    def filter_search(self, queryset, name, value):
        return search_organisations(queryset, value)

    def filter_skill(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Exists(PersonSkill.objects.filter(skill=value, person__organisation=OuterRef("pk")))
        )

    def filter_federation(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Exists(
                Organisation.federations.through.objects.filter(
                    from_organisation=OuterRef("pk"), to_organisation=value
                )
            )
        )


class CoopByNameField(forms.CharField):
    """A co-op named by what a person types: its slug, its name, or part of the name, without
    minding accents or case. Cleans to the matching co-ops the reader may see."""

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        visible = self.organisations() if self.organisations else Organisation.objects.all()
        folded = fold(text)
        for lookup in (Q(slug=text), Q(name__folded__iexact=folded)):
            found = list(visible.filter(lookup).values_list("pk", flat=True))
            if found:
                return found
        found = list(visible.filter(name__folded__icontains=folded).values_list("pk", flat=True))
        if not found:
            raise forms.ValidationError(
                _("No co-op of the network is called “%(name)s”."),
                code="unknown_coop",
                params={"name": text},
            )
        return found


@extend_schema_field(OpenApiTypes.STR)
class CoopByNameFilter(django_filters.Filter):
    """People of a co-op given by slug or name (`Hornero` finds Cooperativa de Trabajo Hornero)."""

    field_class = CoopByNameField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(organisation__in=value)


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    skill = SlugChoiceFilter(
        label=_("Skill"),
        to_field_name="slug",
        queryset=Skill.objects.all(),
        method="filter_skill",
    )
    min_level = LevelFilter(
        label=_("Minimum level"),
        choices=PersonSkill.Level.choices,
        coerce=int,
        method="filter_noop",
    )
    category = SlugChoiceFilter(
        label=_("Skill category"),
        to_field_name="slug",
        queryset=SkillCategory.objects.all(),
        method="filter_category",
    )
    language = LanguageFilter(
        label=_("Speaks"),
        to_field_name="code",
        queryset=Language.objects.all(),
        method="filter_language",
    )
    organisation = CoopByNameFilter(
        label=_("Co-op"),
        max_length=180,
        help_text=_("Its name, or part of it: suggestions appear as you type."),
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"),
        choices=countries,
        distinct=False,
        widget=SearchableCheckboxes(order_by_label=True),
    )
    tz_min = django_filters.NumberFilter(
        label=_("UTC offset from (hours)"), method="filter_noop", min_value=-14, max_value=14
    )
    tz_max = django_filters.NumberFilter(
        label=_("UTC offset to (hours)"), method="filter_noop", min_value=-14, max_value=14
    )
    min_hours = django_filters.NumberFilter(
        label=_("Free hours per week, at least"),
        field_name="hours_per_week",
        lookup_expr="gte",
        min_value=0,
    )
    available_by = django_filters.DateFilter(label=_("Available by"), method="filter_available_by")
    participation = django_filters.ChoiceFilter(
        label=_("Participation"), choices=Person.Participation.choices
    )

    requires = {"min_level": "skill"}

    class Meta:
        model = Person
        fields = [
            "q",
            "skill",
            "min_level",
            "category",
            "language",
            "organisation",
            "country",
            "tz_min",
            "tz_max",
            "min_hours",
            "available_by",
            "participation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = network_countries
        vocabulary_by_name(self)
        user = getattr(self.request, "user", None)
        self.filters["organisation"].extra.update(
            organisations=lambda: organisations_visible_to(user),
            widget=DatalistInput(
                options=lambda: coop_names(user), suggest_url=reverse("members:coop_suggestions")
            ),
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        low, high = self.form.cleaned_data.get("tz_min"), self.form.cleaned_data.get("tz_max")
        if low is not None or high is not None:
            queryset = queryset.filter(timezone__in=zones_with_offset_between(low, high))
        return queryset

    def filter_noop(self, queryset, name, value):
        return queryset  # applied together with another filter

    def filter_search(self, queryset, name, value):
        return search_people(queryset, value)

    def filter_skill(self, queryset, name, value):
        if value is None:
            return queryset
        held = PersonSkill.objects.filter(person=OuterRef("pk"), skill=value)
        # Every level is at least 1 (a check constraint): without a minimum the test is the
        # unique (person, skill) index alone, which PostgreSQL answers without reading a row.
        if level := self.form.cleaned_data.get("min_level"):
            held = held.filter(level__gte=level)
        return queryset.filter(Exists(held))

    def filter_category(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Exists(PersonSkill.objects.filter(person=OuterRef("pk"), skill__category=value))
        )

    def filter_language(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Exists(PersonLanguage.objects.filter(person=OuterRef("pk"), language=value))
        )

    def filter_available_by(self, queryset, name, value):
        return queryset.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=value), hours_per_week__gt=0
        )


class OrganisationApiFilter(OrganisationFilter):
    """The API's filters: the page's, plus `search=` as another name for `q`, and any country
    code (the page's select offers only the network's countries; a partner may ask for any)."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = all_countries


class PersonApiFilter(PersonFilter):
    """The API's filters: the page's, plus `search=` as another name for `q`, and any country
    code."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = all_countries
