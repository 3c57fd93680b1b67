"""Published guides and the learning paths in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from hub.models import Guide, LearningPath
from patio.sitemaps import PublicSitemap


class GuideSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Guide]:
        return Guide.objects.filter(status=Guide.Status.PUBLISHED).only("slug", "updated_at")


class LearningPathSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[LearningPath]:
        return LearningPath.objects.only("slug", "updated_at")


SITEMAPS = {"guides": GuideSitemap, "learning-paths": LearningPathSitemap}
