"""The directory's public objects in /sitemap.xml (patio.sitemaps)."""

from __future__ import annotations

from django.db.models import QuerySet

from members import selectors
from members.models import Organisation, Person
from patio.sitemaps import PublicSitemap


class OrganisationSitemap(PublicSitemap):
    def queryset(self) -> QuerySet[Organisation]:
        return selectors.public_organisations().only("slug", "updated_at")


class PersonSitemap(PublicSitemap):
    """Public profiles of the network's people, as the people directory lists them."""

    def queryset(self) -> QuerySet[Person]:
        return selectors.people_visible_to(None).filter(selectors.IN_NETWORK).only("updated_at")


SITEMAPS = {"coops": OrganisationSitemap, "people": PersonSitemap}
