"""DCAT 3 descriptions of a dump, as JSON-LD with their own context (nothing to fetch).

One catalog, the page at /open-data/; a dataset series, the nightly dumps; one dataset per
dump (`dcat:version`, `dct:issued`, `dct:modified`, CC BY 4.0), and its distributions, each
with `dcat:byteSize` and an SPDX SHA-256 `spdx:checksum`, as DCAT 3 recommends. The dump's
own `…-dcat.jsonld` describes the ZIP and the graph; the `dcat.jsonld` inside the ZIP (which
cannot hold its own checksum) describes each CSV file and the graph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from opendata.models import Dump
from patio.linked_data import absolute

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
IANA = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
CSV_STANDARD = "https://www.rfc-editor.org/info/rfc4180"
SCHEMA_ORG = "https://schema.org/"
KEYWORDS = ("worker co-operatives", "co-ops", "skills", "ESCO", "open data")


@dataclass(frozen=True)
class FileFacts:
    """One file as a distribution describes it."""

    title: str
    file_name: str
    media_type: str  # text/csv, application/zip, application/ld+json
    file_type: str  # the EU file-type authority's code: CSV, ZIP, JSON_LD
    size: int
    sha256: str
    url: str  # where it is downloaded; for a file inside the ZIP, the ZIP
    inside_zip: bool = False
    conforms_to: str | None = None
    description: str = ""


def page_url() -> str:
    return absolute(reverse("opendata:index"))


def catalog_id() -> str:
    return f"{page_url()}#catalog"


def series_id() -> str:
    return f"{page_url()}#series"


def dataset_id(version: int) -> str:
    """The dataset of one dump: its entry on the page."""
    return f"{page_url()}#v{version}"


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _typed(value: str, type_: str) -> dict[str, str]:
    return {"@value": value, "@type": f"xsd:{type_}"}


def _time(value: dt.datetime) -> dict[str, str]:
    return _typed(value.astimezone(dt.UTC).isoformat(), "dateTime")


def distribution(facts: FileFacts, *, issued: dt.datetime) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": f"{facts.url}#{facts.file_name}" if facts.inside_zip else facts.url,
        "@type": "dcat:Distribution",
        "dct:title": facts.title,
        "dct:identifier": facts.file_name,
        "dcat:accessURL": _iri(facts.url),
        "dcat:mediaType": _iri(IANA + facts.media_type),
        "dct:format": _iri(EU_FILE_TYPE + facts.file_type),
        "dcat:byteSize": _typed(str(facts.size), "nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _iri("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": _typed(facts.sha256, "hexBinary"),
        },
        "dct:license": _iri(LICENCE),
        "dct:issued": _time(issued),
        "dct:modified": _time(issued),
    }
    if not facts.inside_zip:
        node["dcat:downloadURL"] = _iri(facts.url)
    if facts.media_type == "application/zip":
        # A ZIP of CSV files: the files' type, and the package they travel in.
        node["dcat:mediaType"] = _iri(IANA + "text/csv")
        node["dcat:packageFormat"] = _iri(IANA + "application/zip")
    if facts.conforms_to:
        node["dct:conformsTo"] = _iri(facts.conforms_to)
    if facts.description:
        node["dct:description"] = facts.description
    return node


def _publisher() -> dict[str, Any]:
    return {
        "@type": "foaf:Agent",
        "foaf:name": settings.SITE_NAME,
        "foaf:homepage": _iri(f"{settings.SITE_URL}/"),
    }


def description(
    dump: Dump, files: list[FileFacts], *, previous_version: int | None = None
) -> dict[str, Any]:
    """The catalog, holding the series and this dump's dataset with `files` as its
    distributions."""
    title = f"{settings.SITE_NAME} open data, {dump.day.isoformat()}"
    dataset: dict[str, Any] = {
        "@id": dataset_id(dump.version),
        "@type": "dcat:Dataset",
        "dct:identifier": dump.stem,
        "dct:title": title,
        "dct:description": (
            f"The public records of the {settings.SITE_NAME} network of worker co-ops as they "
            f"stood at {dump.created_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC: co-ops (and "
            "what stays of those that left), public people, skills, circles, public "
            "opportunities, public decisions and the common fund's totals. Everything a "
            "visitor may read on the site, and nothing more."
        ),
        "dcat:version": str(dump.version),
        "dct:issued": _time(dump.created_at),
        "dct:modified": _time(dump.created_at),
        "dct:license": _iri(LICENCE),
        "dct:publisher": _publisher(),
        "dct:conformsTo": _iri(SCHEMA_ORG),
        "dcat:keyword": list(KEYWORDS),
        "dcat:landingPage": _iri(page_url()),
        "dcat:inSeries": _iri(series_id()),
        "dcat:distribution": [distribution(facts, issued=dump.created_at) for facts in files],
    }
    if previous_version is not None:
        dataset["dcat:previousVersion"] = _iri(dataset_id(previous_version))
    series = {
        "@id": series_id(),
        "@type": "dcat:DatasetSeries",
        "dct:title": f"{settings.SITE_NAME} open data, every night",
        "dct:description": "A dump of the network's public records, written every night; "
        f"the last {settings.OPEN_DATA_KEEP} are kept.",
        "dct:license": _iri(LICENCE),
        "dct:publisher": _publisher(),
        "dcat:landingPage": _iri(page_url()),
    }
    return {
        "@context": CONTEXT,
        "@id": catalog_id(),
        "@type": "dcat:Catalog",
        "dct:title": f"{settings.SITE_NAME} open data",
        "dct:description": f"The open data of the {settings.SITE_NAME} network.",
        "dct:publisher": _publisher(),
        "dct:license": _iri(LICENCE),
        "dct:modified": _time(dump.created_at),
        "foaf:homepage": _iri(page_url()),
        "dcat:dataset": [series, dataset],
    }
