"""Public assemblies and their decisions in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from assemblies import selectors
from assemblies.models import Assembly, Decision
from patio.sitemaps import PublicSitemap


class AssemblySitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Assembly]:
        return selectors.public_assemblies().only("updated_at")


class DecisionSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Decision]:
        return selectors.public_decisions().only("updated_at")


SITEMAPS = {"assemblies": AssemblySitemap, "decisions": DecisionSitemap}
