"""Circles in /sitemap.xml (patio.sitemaps): every circle, as the circle pages are public."""

from __future__ import annotations

from django.db.models import QuerySet

from circles.models import Circle
from patio.sitemaps import PublicSitemap


class CircleSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Circle]:
        return Circle.objects.only("slug", "updated_at")


SITEMAPS = {"circles": CircleSitemap}
