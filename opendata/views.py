"""`/open-data/`: the dumps one may download, and the downloads themselves. Both are public:
a dump holds only what a visitor may read (opendata.selectors)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opendata import linked_data, selectors, services
from opendata.dcat import LICENCE
from patio.linked_data import respond

# A dump's files never change once published (a new night is a new version): caches may keep
# them for good.
IMMUTABLE = "public, max-age=31536000, immutable"


def index(request: HttpRequest) -> HttpResponse:
    dumps = list(selectors.published())
    document = linked_data.dataset_document(dumps)

    def page(document: dict[str, Any] | None) -> HttpResponse:
        rows = [
            {
                "dump": dump,
                "files": [
                    {
                        "kind": kind,
                        "name": services.file_name(dump, kind),
                        "url": services.download_url(dump, kind),
                        "size": getattr(dump, f"{kind}_size"),
                        "sha256": getattr(dump, f"{kind}_sha256"),
                    }
                    for kind, _suffix, _media in services.FILES
                ],
            }
            for dump in dumps
        ]
        context = {
            "rows": rows,
            "keep": settings.OPEN_DATA_KEEP,
            "licence_url": LICENCE,
            "linked_data": document,
        }
        return render(request, "opendata/index.html", context)

    return respond(request, document, page)


def download(request: HttpRequest, version: int, name: str) -> FileResponse:
    """One file of a published dump, by its version and its own name; anything else is 404."""
    dump = selectors.published_dump(version)
    kind = next(
        (
            kind
            for kind, _s, _m in services.FILES
            if dump and services.file_name(dump, kind) == name
        ),
        None,
    )
    if dump is None or kind is None:
        raise Http404
    stored = getattr(dump, f"{kind}_name")
    try:
        handle = services.storage().open(stored, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=kind == "zip",
        filename=name,
        content_type=services.MEDIA_TYPES[kind],
    )
    response["Cache-Control"] = IMMUTABLE
    response["ETag"] = f'"{getattr(dump, f"{kind}_sha256")}"'
    return response


def latest(request: HttpRequest, kind: str) -> HttpResponse:
    """`/open-data/latest.zip` and the like: the newest dump's file, by a lasting address."""
    dump = selectors.published().first()
    if dump is None or kind not in services.MEDIA_TYPES:
        raise Http404
    return redirect(services.download_url(dump, kind))
