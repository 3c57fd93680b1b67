"""Database helpers every app shares: accent folding that works on PostgreSQL and SQLite alike.

PostgreSQL has `patio_unaccent()` (an IMMUTABLE wrapper around the `unaccent` extension, created
by migration members/0003). SQLite gets a function of the same name on every new connection, so
one query (`name__folded__icontains=fold("koln")`) finds "Köln" on both databases.
"""

from __future__ import annotations

import unicodedata
from typing import Any, overload

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, TextField, Transform

# Letters that do not decompose into a base letter and a combining mark, folded as unaccent does.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "\u0131": "i",
        "þ": "th",
        "Þ": "TH",
    }
)


@overload
def fold(text: str) -> str: ...
@overload
def fold(text: None) -> None: ...
def fold(text: str | None) -> str | None:
    """Lower case without accents: "Núñez" → "nunez", "Köln" → "koln"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Folded(Transform):
    """`field__folded`: the column without accents, compared with a `fold()`ed value."""

    lookup_name = "folded"
    function = "patio_unaccent"


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)


def register_sqlite_functions(
    sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """connection_created receiver: give SQLite the functions PostgreSQL has from migrations."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("patio_unaccent", 1, fold, deterministic=True)
