"""Published catalogue entries in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from catalogue.models import Software
from catalogue.selectors import public_software
from patio.sitemaps import PublicSitemap


class SoftwareSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Software]:
        return public_software().only("slug", "updated_at")


SITEMAPS = {"catalogue": SoftwareSitemap}
