"""Public policies and each of their adopted versions in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from patio.sitemaps import PublicSitemap
from policies.models import Policy, PolicyVersion
from policies.selectors import visible_policies


class PolicySitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Policy]:
        return visible_policies(None).only("slug", "updated_at")


class PolicyVersionSitemap(PublicSitemap):
    """Versions never change once adopted: they are dated by their adoption."""

    lastmod_field = "created_at"

    def queryset(self) -> QuerySet[PolicyVersion]:
        return (
            PolicyVersion.objects.filter(policy__in=visible_policies(None))
            .select_related("policy")
            .only("number", "created_at", "policy__slug")
        )


SITEMAPS = {"policies": PolicySitemap, "policy-versions": PolicyVersionSitemap}
