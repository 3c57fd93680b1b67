"""A readable inline diff of two texts, word by word, for people comparing policy versions."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Whitespace, words and single punctuation marks: "talk." and "talk first." differ by one word.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> SafeString:
    """HTML where removed words are in <del> and added words in <ins>; every word is escaped, so
    text people wrote never becomes markup. Whitespace is kept (show it with white-space: pre-wrap)."""
    a, b = _tokens(old), _tokens(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def has_changes(old: str, new: str) -> bool:
    return (old or "") != (new or "")
