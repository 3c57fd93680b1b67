"""schema.org JSON-LD for the open-data page (patio.linked_data): the network's records as a
`Dataset`, each kept dump's files a `DataDownload` with its size, SHA-256, date and version,
under CC BY 4.0."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from members.linked_data import network
from opendata import services
from opendata.dcat import KEYWORDS, LICENCE
from opendata.models import Dump
from patio.linked_data import Document, absolute, document, moment, node

# The files of a dump, as their downloads are named in the page's document.
TITLES = {
    "zip": "CSV files with their README, zipped",
    "graph": "JSON-LD graph (schema.org)",
    "dcat": "DCAT 3 description",
}


def data_download(dump: Dump, kind: str) -> Document:
    return node(
        "DataDownload",
        name=f"{services.file_name(dump, kind)}: {TITLES[kind]}",
        contentUrl=absolute(services.download_url(dump, kind)),
        encodingFormat=services.MEDIA_TYPES[kind],
        contentSize=f"{getattr(dump, f'{kind}_size')} B",
        sha256=getattr(dump, f"{kind}_sha256"),
        uploadDate=moment(dump.ready_at),
        version=str(dump.version),
        license=LICENCE,
    )


def dataset_document(dumps: Sequence[Dump]) -> Document:
    """The page's document: the dataset, with the downloads of every dump it lists, newest
    first (none before the first night's dump)."""
    latest = dumps[0] if dumps else None
    return document(
        "Dataset",
        reverse("opendata:index"),
        name=_("Patio open data"),
        description=_(
            "The public records of the Patio network of worker co-ops, written every night: "
            "co-ops (and what stays of those that left), public people, skills, circles, "
            "public opportunities, public decisions and the common fund's totals, as CSV "
            "files with a README, a JSON-LD graph and a DCAT description."
        ),
        license=LICENCE,
        isAccessibleForFree=True,
        creator=network(),
        publisher=network(),
        keywords=list(KEYWORDS),
        version=str(latest.version) if latest else None,
        dateModified=moment(latest.created_at) if latest else None,
        distribution=[data_download(dump, kind) for dump in dumps for kind in TITLES],
    )
