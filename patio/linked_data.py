"""schema.org JSON-LD for public pages: one way to embed it, and one way to serve it alone.

Each app builds the documents of its own objects (`members.linked_data`, `projects.linked_data`,
…) from what a visitor may read, whoever asks: a members-only field never reaches a document.
A view passes its document to `respond()`, which either renders the page with the document in
the context (`templates/base.html` embeds it as `<script type="application/ld+json">`) or, when
the client prefers `application/ld+json` (content negotiation on the same URL), answers the
document alone. Both answers say `Vary: Accept`, so no cache hands one to a client that asked
for the other.

Identifiers are absolute and built from `SITE_URL`, never from the `Host` header: a document is
read far from the request that made it, and must name the same things wherever it is read.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import nh3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe

JSON_LD = "application/ld+json"
HTML = "text/html"
CONTEXT = "https://schema.org"
# The ESCO skills pillar and the ISO 639 code lists, as the terms of our vocabularies point at.
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"
ISO_639_1 = "http://id.loc.gov/vocabulary/iso639-1"
ISO_639_3 = "https://iso639-3.sil.org/code_tables/639"

Document = dict[str, Any]

# What must not close or open markup inside <script>: the same escapes as Django's json_script,
# whose <script> element cannot carry the ld+json type.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    """`/coops/camplight/` as the network names it: under SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def document(type_: str | list[str], path: str, **properties: Any) -> Document:
    """A top-level node with its context, its identifier (the page's permanent URL) and the
    properties that have a value (None, "" and empty lists are left out)."""
    url = absolute(path)
    return {"@context": CONTEXT, "@type": type_, "@id": url, "url": url, **compact(properties)}


def node(type_: str | list[str], **properties: Any) -> Document:
    """A nested node: no context of its own; empty properties left out."""
    return {"@type": type_, **compact(properties)}


def reference(type_: str | list[str], path: str, name: str) -> Document:
    """Another object of the network, by its permanent URL and its name."""
    return {"@type": type_, "@id": absolute(path), "name": name}


def compact(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in properties.items() if value not in (None, "", [], {})}


def moment(value: dt.datetime | None) -> str | None:
    """An instant with its offset (stored in UTC, so `+00:00`): never a naive time."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("A JSON-LD time needs its offset.")
    return value.isoformat()


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def number(value: Decimal | int | float | None) -> float | int | None:
    """A JSON number (JSON-LD has no decimals): whole amounts stay integers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def rich_text(markdown: str) -> str:
    """People's Markdown as the page shows it: sanitised HTML, nothing the page would strip
    (a script, an `onerror`). For the texts schema.org reads as HTML (a job's description)."""
    from patio.templatetags.patio import render_markdown

    return str(render_markdown(markdown)).strip()


def plain_text(markdown: str) -> str:
    """People's Markdown as plain text: its words without markup, for every other text."""
    return html.unescape(nh3.clean(rich_text(markdown), tags=set())).strip()


def language_set(code: str) -> str:
    """The code list a language's code belongs to: ISO 639-1 for two letters, else 639-3."""
    return ISO_639_1 if len(code) == 2 else ISO_639_3


def language_term(code: str, name: str) -> Document:
    """A language as schema.org reads one (`Language`) and as a term of its ISO 639 list."""
    code_list = language_set(code)
    return node(
        ["Language", "DefinedTerm"],
        name=name,
        alternateName=code,
        termCode=code,
        inDefinedTermSet=code_list,
    )


def unique(nodes: Iterable[Document]) -> list[Document]:
    """Nodes in order, each once (by identifier, else by name)."""
    seen: set[str] = set()
    kept = []
    for item in nodes:
        key = str(item.get("@id") or item.get("name"))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def dumps(document: Document) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False)


def script(document: Document) -> SafeString:
    """The document as a data block in the page, escaped so that no text in it (a co-op named
    `</script><script>…`) can end the block or open markup."""
    body = dumps(document).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="{JSON_LD}">{body}</script>')  # noqa: S308 - escaped above


def wants_json_ld(request: HttpRequest) -> bool:
    """Whether the client prefers the JSON-LD document to the page (`Accept`); a browser's
    `text/html, */*` and a missing header get the page."""
    return request.get_preferred_type([HTML, JSON_LD]) == JSON_LD


def json_ld_response(document: Document, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        dumps(document), content_type=f"{JSON_LD}; charset=utf-8", status=status
    )
    patch_vary_headers(response, ["Accept"])
    return response


def not_acceptable() -> HttpResponse:
    """A page that exists but is not public has no JSON-LD: 406 rather than a members' view."""
    response = HttpResponse(
        "This page has no public JSON-LD document.", status=406, content_type="text/plain"
    )
    patch_vary_headers(response, ["Accept"])
    return response


def respond(
    request: HttpRequest,
    document: Document | None,
    page: Callable[[Document | None], HttpResponse],
    *,
    status: int = 200,
) -> HttpResponse:
    """The page, or the JSON-LD document alone when the client asked for it (same URL, same
    status). `page` renders the HTML with the document (or None) in its context."""
    if wants_json_ld(request):
        if document is None:
            return not_acceptable()
        return json_ld_response(document, status=status)
    response = page(document)
    patch_vary_headers(response, ["Accept"])
    return response
