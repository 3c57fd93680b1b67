"""Full-text search of discussions, the directory's way (members/search.py): a stored `tsvector`
(the title, then the text of every comment that is not hidden; `simple` configuration, accents
folded), prefix terms ranked with `ts_rank` plus trigram similarity of the title; `icontains` on
folded text on SQLite. It always searches a queryset already scoped to the reader
(`selectors.threads_visible_to`), so it cannot find a thread the reader may not read, and a
hidden comment's words find nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from discussions.models import Comment, Thread
from members.search import _ranked, _terms
from patio.db import fold


def search_threads(queryset: QuerySet[Thread], text: str) -> QuerySet[Thread]:
    terms = _terms(text)
    if not terms:
        return queryset
    if settings.USES_POSTGRES:
        return _ranked(queryset, text, terms, name="title")
    for term in map(fold, terms):
        in_comments = Comment.objects.filter(
            thread=OuterRef("pk"), hidden_at__isnull=True, body__folded__icontains=term
        )
        queryset = queryset.filter(title__folded__icontains=term) | queryset.filter(
            Exists(in_comments)
        )
    return queryset


_VECTOR = """
UPDATE discussions_thread t SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(t.title)), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT string_agg(c.body, ' ') FROM discussions_comment c
        WHERE c.thread_id = t.id AND c.hidden_at IS NULL), ''))), 'C')
WHERE t.id = ANY(%s)
"""


def refresh_search_vectors(thread_ids: Iterable[int]) -> None:
    """Recompute these threads' stored vectors. A no-op outside PostgreSQL."""
    ids = list(thread_ids)
    if not settings.USES_POSTGRES or not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_VECTOR, [ids])
