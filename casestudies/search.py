"""Case-study search, the directory's way (members/search.py, as hub/search.py does): a stored
`tsvector` in the `simple` configuration with accents folded, terms matched as prefixes, ranked
with trigram similarity on the title; `icontains` over folded text on SQLite.

The vector holds the title (A), the summary, client and co-ops (B), the skills and the software
used (C), and the story and outcome (D): "Odoo" finds the projects that used Odoo."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, Value

from members.vocabulary import name_contains
from patio.db import fold

_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(text: str) -> list[str]:
    return _TERM.findall(text.lower())[:MAX_TERMS]


def search_case_studies(queryset: QuerySet, text: str) -> QuerySet:
    found = terms(text)
    if not found:
        return queryset
    if settings.USES_POSTGRES:
        # Terms are \w+ only, so nothing in them can break tsquery syntax.
        raw = " & ".join(f"{term}:*" for term in found)
        query = SearchQuery(
            Func(Value(raw), function="patio_unaccent"), config="simple", search_type="raw"
        )
        return (
            queryset.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query) + TrigramWordSimilarity(text, "title")
            )
            .order_by("-rank", "-published_at", "-id")
        )
    for term in map(fold, found):
        queryset = queryset.filter(
            Q(title__folded__icontains=term)
            | Q(summary__folded__icontains=term)
            | Q(client_name__folded__icontains=term)
            | Q(story__folded__icontains=term)
            | Q(outcome__folded__icontains=term)
            | Q(coops__name__folded__icontains=term)
            | Q(software__name__folded__icontains=term)
            | name_contains("skills__name", term, lookup="folded__icontains")
        )
    return queryset.distinct()


def _names(alias: str) -> str:
    from members.vocabulary import name_columns

    columns = ", ".join(f"{alias}.{column}" for column in name_columns().values())
    return f"concat_ws(' ', {columns})"


_VECTOR = """
UPDATE casestudies_casestudy c SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(c.title)), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(c.summary || ' ' || c.client_name || ' ' ||
        coalesce((SELECT string_agg(o.name, ' ') FROM members_organisation o
        JOIN casestudies_casestudy_coops cc ON cc.organisation_id = o.id
        WHERE cc.casestudy_id = c.id), ''))), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT string_agg(SKILL_NAMES, ' ') FROM members_skill k
        JOIN casestudies_casestudy_skills cs ON cs.skill_id = k.id
        WHERE cs.casestudy_id = c.id), '') || ' ' || coalesce((
        SELECT string_agg(s.name, ' ') FROM catalogue_software s
        JOIN casestudies_casestudy_software cw ON cw.software_id = s.id
        WHERE cw.casestudy_id = c.id), ''))), 'C')
 || setweight(to_tsvector('simple', patio_unaccent(c.story || ' ' || c.outcome)), 'D')
"""


def refresh_case_study_vectors(ids: list[int] | None = None) -> None:
    """Recompute stored vectors; `None` means every case study. A no-op outside PostgreSQL."""
    if not settings.USES_POSTGRES:
        return
    sql = _VECTOR.replace("SKILL_NAMES", _names("k"))
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql)
        elif ids:
            cursor.execute(sql + " WHERE c.id = ANY(%s)", [list(ids)])
