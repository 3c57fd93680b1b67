"""schema.org JSON-LD for catalogue entries: a `SoftwareApplication` (patio.linked_data says
how pages use it). Built from what a visitor may read: only published entries have a document,
and it names only public co-ops (the prefetches of `selectors.software_detail(None)`)."""

from __future__ import annotations

from typing import Any

from django_countries import countries

from catalogue.licences import spdx_url
from catalogue.models import Provider, Software, SoftwareUse
from members.linked_data import organisation_reference
from patio.linked_data import (
    Document,
    document,
    language_term,
    node,
    number,
    plain_text,
    reference,
)

UNIT_CODES = {"hour": "HUR", "day": "DAY", "month": "MON"}


def _licence(software: Software) -> Document | str:
    """One licence is its SPDX page; an expression (`MIT OR Apache-2.0`) a work of its own."""
    if " " not in software.licence:
        url = spdx_url(software.licence)
        if url:
            return url
    return node("CreativeWork", name=software.licence)


def _offer(provider: Provider) -> Document:
    price = node(
        "UnitPriceSpecification",
        minPrice=number(provider.rate_min),
        maxPrice=number(provider.rate_max),
        priceCurrency=provider.currency if provider.rate_min or provider.rate_max else None,
        unitCode=UNIT_CODES.get(provider.rate_unit),
    )
    return node(
        "Offer",
        seller=organisation_reference(provider.organisation),
        description=", ".join(provider.service_labels()),
        areaServed=[
            node("Country", name=countries.name(c.code), identifier=c.code)
            for c in _countries(provider)
        ],
        priceSpecification=price if len(price) > 1 else None,
    )


def _review(use: SoftwareUse) -> Document:
    return node(
        "Review",
        author=organisation_reference(use.organisation),
        reviewBody=use.use_case,
        reviewRating=node("Rating", ratingValue=use.rating, bestRating=5, worstRating=1),
    )


def software_document(software: Software) -> Document:
    uses = list(software.uses.all())
    rating = None
    if uses:
        average = sum(use.rating for use in uses) / len(uses)
        rating = node(
            "AggregateRating",
            ratingValue=round(average, 2),
            ratingCount=len(uses),
            bestRating=5,
            worstRating=1,
        )
    return document(
        "SoftwareApplication",
        software.get_absolute_url(),
        name=software.name,
        description=plain_text(software.summary),
        abstract=plain_text(software.description) or None,
        applicationCategory=[category.name for category in software.categories.all()],
        license=_licence(software),
        isAccessibleForFree=software.is_open_source or None,
        sameAs=[url for url in (software.website_url, software.source_url) if url],
        softwareVersion=software.last_version,
        inLanguage=[
            language_term(language.code, str(language)) for language in software.ui_languages.all()
        ],
        creator=[organisation_reference(maker) for maker in software.makers.all()],
        offers=[_offer(provider) for provider in software.providers.all()],
        review=[_review(use) for use in uses],
        aggregateRating=rating,
        keywords=software.replaced_products() or None,
        dateModified=software.updated_at.isoformat() if software.updated_at else None,
    ) | _similar(software)


def _similar(software: Software) -> Document:
    """Similar published entries, as works the application is related to (`isBasedOn` would say
    more than we know; schema.org's `isSimilarTo` is for products, not software)."""
    similar = [
        reference("SoftwareApplication", entry.get_absolute_url(), entry.name)
        for entry in software.similar.all()
        if entry.is_published
    ]
    return {"mentions": similar} if similar else {}


def _countries(provider) -> list[Any]:
    """The provider's countries as django-countries' `Country` objects (the field is multiple:
    the type checker sees a code)."""
    return list(provider.countries)
