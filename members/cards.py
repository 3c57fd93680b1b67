"""The directories' result cards, each a cached fragment of its own.

A directory page reads only the ids of its 25 rows (the filters, search ranking and order are
the query's work), then fetches every card in one cache round trip. Only the cards the cache
lacks are read in full, with what they show prefetched, and rendered. A card is the same for
every query that lists its row, so a filter set nobody asked for before still finds most of its
cards rendered: that is what makes a cold page cheap at a million rows.

A card's key holds the directory version (any write to co-ops, people or their vocabularies
changes it, see members.signals), the reader's language and visibility tier, and the row's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from members import selectors

CARD_SECONDS = 600


def render_cards(
    request: HttpRequest,
    ids: Sequence[int],
    *,
    kind: str,
    rows: QuerySet[Any],
    template: str,
    version: str | None = None,
) -> list[SafeString]:
    """The cards of the rows `ids`, in that order. `rows` reads a row in full for its card
    (the reader's own selector, with its prefetches): a row it no longer yields is left out.
    A card is rendered without the request's context processors: it shows the row alone."""
    version = version or selectors.directory_version()
    tier = selectors.reader_tier(request.user)
    prefix = f"members:card:{kind}:{version}:{get_language()}:{tier}:"
    keys = {pk: f"{prefix}{pk}" for pk in ids}
    found: dict[str, str] = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        fresh = {row.pk: row for row in rows.filter(pk__in=missing)}
        rendered = {
            keys[pk]: render_to_string(template, {"item": fresh[pk]})
            for pk in missing
            if pk in fresh
        }
        cache.set_many(rendered, CARD_SECONDS)
        found.update(rendered)
    # Safe: each was rendered from our own template, with autoescaping, just above or earlier.
    return [mark_safe(found[key]) for key in keys.values() if key in found]  # noqa: S308
