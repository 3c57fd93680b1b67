"""Published case studies in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from casestudies.models import CaseStudy
from casestudies.selectors import public_case_studies
from patio.sitemaps import PublicSitemap


class CaseStudySitemap(PublicSitemap):
    def queryset(self) -> QuerySet[CaseStudy]:
        return public_case_studies().only("slug", "updated_at")


SITEMAPS = {"case-studies": CaseStudySitemap}
