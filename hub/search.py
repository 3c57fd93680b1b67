"""Hub search, the directory's way (members/search.py): PostgreSQL full text on a stored vector
with trigram similarity on the title, and `icontains` over folded text on SQLite.

A guide's vector holds its title (weight A), summary and tags (B) and text (C), and the titles,
summaries (A, B) and texts (C) of its translations, so a reader finds a guide by words of any
language it exists in. The `simple` configuration, accents folded by `patio_unaccent()`, terms
matched as prefixes: as the directory does, and for the same reasons.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Value

from patio.db import fold

_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(text: str) -> list[str]:
    return _TERM.findall(text.lower())[:MAX_TERMS]


def search_guides(queryset: QuerySet, text: str) -> QuerySet:
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
    from hub.models import GuideTranslation

    for term in map(fold, found):
        translated = GuideTranslation.objects.filter(
            Q(title__folded__icontains=term)
            | Q(summary__folded__icontains=term)
            | Q(text__folded__icontains=term),
            guide=OuterRef("pk"),
        )
        queryset = queryset.filter(
            Q(title__folded__icontains=term)
            | Q(summary__folded__icontains=term)
            | Q(body__folded__icontains=term)
            | Q(tags__name__folded__icontains=term)
            | Exists(translated)
        )
    return queryset.distinct()


_GUIDE_VECTOR = """
UPDATE hub_guide g SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(g.title || ' ' || coalesce((
        SELECT string_agg(t.title, ' ') FROM hub_guidetranslation t WHERE t.guide_id = g.id),
        ''))), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(g.summary || ' ' || coalesce((
        SELECT string_agg(tag.name, ' ') FROM hub_tag tag
        JOIN hub_guide_tags gt ON gt.tag_id = tag.id WHERE gt.guide_id = g.id), '') || ' ' ||
        coalesce((SELECT string_agg(t.summary, ' ') FROM hub_guidetranslation t
        WHERE t.guide_id = g.id), ''))), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(g.body || ' ' || coalesce((
        SELECT string_agg(t.text, ' ') FROM hub_guidetranslation t WHERE t.guide_id = g.id),
        ''))), 'C')
"""


def refresh_guide_vectors(guide_ids: list[int] | None = None) -> None:
    """Recompute stored vectors; `None` means every guide. A no-op outside PostgreSQL."""
    if not settings.USES_POSTGRES:
        return
    with connection.cursor() as cursor:
        if guide_ids is None:
            cursor.execute(_GUIDE_VECTOR)
        elif guide_ids:
            cursor.execute(_GUIDE_VECTOR + " WHERE g.id = ANY(%s)", [list(guide_ids)])
