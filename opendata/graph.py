"""The JSON-LD graph of a dump: the documents the site's pages already embed, one node each,
from the same builders (each app's `linked_data.py`) and the same selectors the CSV files
read. Written node by node, so a million people never sit in memory at once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder

from assemblies.linked_data import decision_document
from circles.linked_data import circle_document
from fund.linked_data import totals_documents
from members.linked_data import (
    organisation_document,
    person_document,
    skill_term,
    tombstone_document,
)
from opendata import selectors
from opendata.tables import CHUNK
from patio.linked_data import CONTEXT, Document
from projects.linked_data import job_posting


@dataclass(frozen=True)
class Part:
    name: str
    nodes: Callable[[], Iterable[Document]]
    count: Callable[[], int]


PARTS: tuple[Part, ...] = (
    Part(
        "coops",
        lambda: map(organisation_document, selectors.coops().iterator(chunk_size=CHUNK)),
        lambda: selectors.coops().count(),
    ),
    Part(
        "tombstones",
        lambda: map(tombstone_document, selectors.tombstones().iterator(chunk_size=CHUNK)),
        lambda: selectors.tombstones().count(),
    ),
    Part(
        "people",
        lambda: map(person_document, selectors.people().iterator(chunk_size=CHUNK)),
        lambda: selectors.public_people().count(),
    ),
    Part(
        "skills",
        lambda: map(skill_term, selectors.skills().iterator(chunk_size=CHUNK)),
        lambda: selectors.skills().count(),
    ),
    Part(
        "circles",
        lambda: map(circle_document, selectors.circles().iterator(chunk_size=CHUNK)),
        lambda: selectors.circles().count(),
    ),
    Part(
        "opportunities",
        lambda: map(job_posting, selectors.opportunities().iterator(chunk_size=CHUNK)),
        lambda: selectors.opportunities().count(),
    ),
    Part(
        "decisions",
        lambda: map(decision_document, selectors.decisions().iterator(chunk_size=CHUNK)),
        lambda: selectors.decisions().count(),
    ),
    Part(
        "fund",
        lambda: totals_documents(selectors.fund_totals()),
        lambda: len(totals_documents(selectors.fund_totals())),
    ),
)


def _node(document: Document) -> Document:
    """A page's document as a node of the graph, whose one context is the graph's."""
    return {key: value for key, value in document.items() if key != "@context"}


def write(out: IO[str], *, advance: Callable[[str], None] = lambda part: None) -> int:
    """The graph, as `{"@context": "https://schema.org", "@graph": [...]}`, into `out`.
    `advance(part)` is called after each node. Returns the number of nodes."""
    out.write(json.dumps({"@context": CONTEXT})[:-1] + ', "@graph": [\n')
    written = 0
    for part in PARTS:
        for document in _nodes(part):
            if written:
                out.write(",\n")
            out.write(json.dumps(_node(document), cls=DjangoJSONEncoder, ensure_ascii=False))
            written += 1
            advance(part.name)
    out.write("\n]}\n")
    return written


def _nodes(part: Part) -> Iterator[Document]:
    yield from part.nodes()
