"""Public opportunities and projects in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from patio.sitemaps import PublicSitemap
from projects.models import Opportunity, Project
from projects.selectors.opportunities import opportunities_visible_to
from projects.selectors.teams import projects_visible_to


class OpportunitySitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Opportunity]:
        return opportunities_visible_to(None).only("updated_at")


class ProjectSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Project]:
        return projects_visible_to(None).only("updated_at")


SITEMAPS = {"opportunities": OpportunitySitemap, "projects": ProjectSitemap}
