"""The open-data page in /sitemap.xml (patio.sitemaps), dated by its newest dump."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse

from opendata import selectors
from opendata.models import Dump
from patio.sitemaps import PublicSitemap


class OpenDataSitemap(PublicSitemap):
    lastmod_field = "ready_at"

    def queryset(self) -> QuerySet[Dump]:
        return selectors.published()

    def items(self) -> list[str]:  # type: ignore[override]
        """The one page, once it has a dump to offer (and so a date to give)."""
        return ["opendata:index"] if self.queryset().exists() else []

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime | None:  # type: ignore[override]
        return self.get_latest_lastmod()


SITEMAPS = {"open-data": OpenDataSitemap}
