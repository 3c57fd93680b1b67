"""Full-text search of offers and wants, the directory's way (members/search.py): a stored
`tsvector` (title, then tags and skills in every language, then the description; `simple`
configuration, accents folded by `patio_unaccent()`), prefix matching and `ts_rank` plus
trigram similarity of the title, among at most RANKED_MATCHES candidates; `icontains` on
folded text on SQLite."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from members.search import _ranked, _terms
from members.vocabulary import name_columns, name_contains
from offers.models import Post
from patio.db import fold


def search_posts(queryset: QuerySet[Post], text: str) -> QuerySet[Post]:
    terms = _terms(text)
    if not terms:
        return queryset
    if settings.USES_POSTGRES:
        return _ranked(queryset, text, terms, name="title")
    for term in map(fold, terms):
        queryset = queryset.filter(
            Q(title__folded__icontains=term)
            | Q(description__folded__icontains=term)
            | Q(tags__name__icontains=term)
            | name_contains("skills__name", term, lookup="folded__icontains")
        )
    return queryset.distinct()


def _skill_names() -> str:
    columns = ", ".join(f"sk.{column}" for column in name_columns().values())
    return f"concat_ws(' ', {columns})"


_VECTOR = """
UPDATE offers_post p SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(p.title)), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT string_agg(replace(t.name, '-', ' '), ' ') FROM offers_tag t
        JOIN offers_post_tags pt ON pt.tag_id = t.id WHERE pt.post_id = p.id), '') || ' ' ||
        coalesce((SELECT string_agg(SKILL_NAMES || ' ' || sk.synonyms, ' ') FROM members_skill sk
        JOIN offers_post_skills ps ON ps.skill_id = sk.id WHERE ps.post_id = p.id), ''))), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(p.city || ' ' || p.description)), 'C')
WHERE p.id = ANY(%s)
"""


def refresh_search_vectors(post_ids: list[int]) -> None:
    """Recompute these posts' stored vectors. A no-op outside PostgreSQL."""
    if not settings.USES_POSTGRES or not post_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_VECTOR.replace("SKILL_NAMES", _skill_names()), [list(post_ids)])
