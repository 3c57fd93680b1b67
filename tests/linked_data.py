"""Reading the site's JSON-LD as a consumer would: pyld expands it against the schema.org
context, served from the copy in tests/vendor/schemaorg (nothing is fetched from the internet).

`expand_checked()` fails on any error pyld raises, on a type or property the schema.org release
does not define (a misspelt `knowsLanguge` would otherwise expand quietly through `@vocab`), and
on a required property that is missing."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXT_FILE = Path(__file__).parent / "vendor" / "schemaorg" / "schemaorgcontext.jsonld"
SCHEMA = "http://schema.org/"
# The addresses a document may name the schema.org context by.
CONTEXT_URLS = {
    "https://schema.org",
    "http://schema.org",
    "https://schema.org/docs/jsonldcontext.jsonld",
    "http://schema.org/docs/jsonldcontext.jsonld",
}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@cache
def schema_context() -> dict[str, Any]:
    return json.loads(CONTEXT_FILE.read_text())


@cache
def schema_terms() -> frozenset[str]:
    """Every type and property IRI of the vendored schema.org release."""
    terms = schema_context()["@context"]
    return frozenset(
        SCHEMA + value["@id"].removeprefix("schema:")
        for value in terms.values()
        if isinstance(value, dict) and value.get("@id", "").startswith("schema:")
    )


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") in CONTEXT_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": schema_context()}
    raise jsonld.JsonLdError(
        f"The tests load no document from the network ({url}).",
        "jsonld.LoadDocumentError",
        code="loading document failed",
    )


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": document_loader})


def _walk(node: Any, unknown: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, unknown)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type":  # a node's types are a list, a typed value's one string
            types = [value] if isinstance(value, str) else value
            unknown.update(t for t in types if t not in schema_terms())
        elif not key.startswith("@"):
            if key not in schema_terms():
                unknown.add(key)
            _walk(value, unknown)


def unknown_terms(expanded: list[dict[str, Any]]) -> set[str]:
    """The types and properties of expanded documents that the schema.org release does not
    define (for a graph of many nodes, where `expand_checked` reads one)."""
    unknown: set[str] = set()
    _walk(expanded, unknown)
    return unknown


def expand_checked(
    document: dict[str, Any], type_: str, required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The document's top node, expanded: of schema.org type `type_`, with every `required`
    property, and nothing outside the schema.org release."""
    expanded = expand(document)
    assert len(expanded) == 1, expanded
    top = expanded[0]
    assert SCHEMA + type_ in top["@type"], top["@type"]
    missing = [name for name in required if SCHEMA + name not in top]
    assert not missing, f"missing {missing} in {json.dumps(document, indent=1)}"
    unknown: set[str] = set()
    _walk(expanded, unknown)
    assert not unknown, f"not schema.org terms: {sorted(unknown)}"
    return top


def values(node: dict[str, Any], name: str) -> list[Any]:
    """The values of one property of an expanded node: literals as their value, nodes as
    themselves."""
    return [item.get("@value", item) for item in node.get(SCHEMA + name, [])]


def scripts(html: str) -> list[dict[str, Any]]:
    """The JSON-LD data blocks of a page."""
    return [json.loads(body) for body in SCRIPT.findall(html)]


def page_document(response: Any) -> dict[str, Any]:
    found = scripts(response.content.decode())
    assert len(found) == 1, f"{len(found)} JSON-LD blocks"
    return found[0]


def negotiated(client: Any, url: str) -> Any:
    """The same address, asked for as JSON-LD."""
    return client.get(url, HTTP_ACCEPT="application/ld+json")
