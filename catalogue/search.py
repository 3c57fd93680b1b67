"""Catalogue search, the directory's way (members/search.py): a stored `tsvector` in the
`simple` configuration with accents folded, terms matched by prefix, ranked with trigram
similarity on the name; `icontains` on folded text on SQLite.

What an entry replaces is searched too, so "Slack" finds the entries that replace Slack. A
search that starts with "instead of", "alternative to" or "replaces" (in the reader's
language or in English) looks for the rest among what entries replace only.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, Value
from django.utils.translation import gettext, pgettext

from catalogue.models import Software
from members.vocabulary import name_contains
from patio.db import fold

_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
# Few entries match a typed name: close names are added only when full text finds fewer.
TYPO_BELOW = 10


def _replacement_phrases() -> list[str]:
    phrases = [
        pgettext("catalogue search", "instead of"),
        pgettext("catalogue search", "alternative to"),
        pgettext("catalogue search", "alternatives to"),
        pgettext("catalogue search", "replaces"),
        pgettext("catalogue search", "replacement for"),
    ]
    english = ["instead of", "alternative to", "alternatives to", "replaces", "replacement for"]
    return sorted({fold(p.lower()) for p in [*phrases, *english]}, key=len, reverse=True)


def split_replacement(text: str) -> tuple[bool, str]:
    """(whether the search asks what replaces a product, the rest of the text)."""
    folded = fold(text.strip().lower())
    for phrase in _replacement_phrases():
        if folded.startswith(phrase + " "):
            return True, text.strip()[len(phrase) :].strip()
    return False, text


def _terms(text: str) -> list[str]:
    return _TERM.findall(text.lower())[:MAX_TERMS]


def search_software(queryset: QuerySet[Software], text: str) -> QuerySet[Software]:
    replacing, text = split_replacement(text)
    terms = _terms(text)
    if not terms:
        return queryset
    if replacing:
        for term in map(fold, terms):
            queryset = queryset.filter(replaces__folded__icontains=term)
        return queryset.order_by("name", "id")
    if settings.USES_POSTGRES:
        return _ranked(queryset, text, terms)
    for term in map(fold, terms):
        queryset = queryset.filter(
            Q(name__folded__icontains=term)
            | Q(summary__folded__icontains=term)
            | Q(description__folded__icontains=term)
            | Q(replaces__folded__icontains=term)
            | name_contains("categories__name", term, lookup="folded__icontains")
            | Q(programming_languages__name__folded__icontains=term)
        )
    return queryset.distinct().order_by("name", "id")


def _ranked(queryset: QuerySet[Software], text: str, terms: list[str]) -> QuerySet[Software]:
    raw = " & ".join(f"{term}:*" for term in terms)  # \w+ only: nothing breaks the syntax
    query = SearchQuery(
        Func(Value(raw), function="patio_unaccent"), config="simple", search_type="raw"
    )
    matches = list(queryset.filter(search_vector=query).values_list("pk", flat=True))
    if len(matches) < TYPO_BELOW:
        close = queryset.filter(name__trigram_word_similar=text).exclude(pk__in=matches)
        matches += list(close.values_list("pk", flat=True)[:TYPO_BELOW])
    return (
        queryset.filter(pk__in=matches)
        .annotate(rank=SearchRank(F("search_vector"), query) + TrigramWordSimilarity(text, "name"))
        .order_by("-rank", "name", "id")
    )


def _names(alias: str) -> str:
    from members.vocabulary import name_columns

    columns = ", ".join(f"{alias}.{column}" for column in name_columns().values())
    return f"concat_ws(' ', {columns})"


_VECTOR = """
UPDATE catalogue_software s SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(s.name)), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(s.summary || ' ' || s.replaces)), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT string_agg(CATEGORY_NAMES, ' ') FROM catalogue_functioncategory c
        JOIN catalogue_software_categories sc ON sc.functioncategory_id = c.id
        WHERE sc.software_id = s.id), '') || ' ' || coalesce((
        SELECT string_agg(p.name, ' ') FROM catalogue_programminglanguage p
        JOIN catalogue_software_programming_languages sp ON sp.programminglanguage_id = p.id
        WHERE sp.software_id = s.id), '') || ' ' || coalesce((
        SELECT string_agg(o.name, ' ') FROM members_organisation o
        JOIN catalogue_software_makers sm ON sm.organisation_id = o.id
        WHERE sm.software_id = s.id), ''))), 'C')
 || setweight(to_tsvector('simple', patio_unaccent(s.description)), 'D')
"""


def refresh_search_vectors(*, software_ids: list[int] | None = None) -> None:
    """Recompute the stored vectors; `None` means every entry. A no-op outside PostgreSQL."""
    if not settings.USES_POSTGRES:
        return
    sql = _VECTOR.replace("CATEGORY_NAMES", _names("c"))
    with connection.cursor() as cursor:
        if software_ids is None:
            cursor.execute(sql)
        elif software_ids:
            cursor.execute(sql + " WHERE s.id = ANY(%s)", [list(software_ids)])


def no_match_hint() -> str:
    return gettext("No entry matches. Try fewer filters, or another word.")
