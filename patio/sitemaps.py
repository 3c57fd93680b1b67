"""`/sitemap.xml`: every public object of the network and when it last changed.

Each app offers the sitemaps of its own objects (`members/sitemaps.py`, …) and the root URLconf
puts them together, as it does for everything else. A section is one cheap query per page of up
to `Sitemap.limit` (50,000) addresses, so the sitemap grows with the network without slowing
down; `/sitemap.xml` is the index of the sections' pages, each with its newest change.

Addresses are built from SITE_URL, never from the `Host` header, as the feeds' and the JSON-LD's
are: a sitemap is read by machines far from the request that asked for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

SECTION_URL_NAME = "sitemap-section"


class PublicSitemap(Sitemap):  # type: ignore[type-arg]
    """A sitemap of one kind of public object: `queryset()` (what a visitor may open, already
    narrowed to the fields `location` reads) and the field that says when a row last changed."""

    lastmod_field = "updated_at"

    def queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def items(self) -> QuerySet[Any]:
        return self.queryset().order_by("pk")

    def lastmod(self, item: Model) -> datetime | None:
        value = getattr(item, self.lastmod_field, None)
        return value if isinstance(value, datetime) else None

    def get_latest_lastmod(self) -> datetime | None:
        value = self.queryset().aggregate(latest=Max(self.lastmod_field))["latest"]
        return value if isinstance(value, datetime) else None

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


@x_robots_tag
def index(request: HttpRequest, sitemaps: dict[str, type[PublicSitemap]]) -> TemplateResponse:
    """Django's sitemap index, with its addresses under SITE_URL: one entry per page of each
    section, dated by the section's newest change. Two queries a section, however big."""
    entries = []
    newest: datetime | None = None
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse(SECTION_URL_NAME, kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is not None and (newest is None or lastmod > newest):
            newest = lastmod
        # django-stubs types last_mod as a bool; Django formats it as the date it is.
        entries.append(SitemapIndexItem(location, lastmod))  # type: ignore[arg-type]
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))  # type: ignore[arg-type]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    if newest is not None:
        response.headers["Last-Modified"] = http_date(newest.timestamp())
    return response
