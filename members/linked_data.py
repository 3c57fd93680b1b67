"""schema.org JSON-LD for co-ops and public people (patio.linked_data says how pages use it).

Built from what a visitor may read, whoever asks: the public co-ops a document names, the
contact fields a person made public, never one they keep for members.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django_countries import countries

from members.hooks import Alternate
from members.models import Language, Organisation, Person, Skill
from members.permissions import visible_contact_fields
from patio.linked_data import (
    ESCO_SKILLS,
    Document,
    absolute,
    day,
    document,
    language_term,
    node,
    plain_text,
    reference,
    unique,
)

# Co-ops and federations are schema.org's `Cooperative` (added in 2025); consumers that predate
# it still read an `Organization`, told what kind by `additionalType`.
COOPERATIVE_TYPES = ["Cooperative", "Organization"]
COOPERATIVE_URL = "https://schema.org/Cooperative"


def organisation_types(organisation: Organisation) -> list[str] | str:
    if organisation.kind == Organisation.Kind.PARTNER:
        return "Organization"
    return COOPERATIVE_TYPES


def organisation_reference(organisation: Organisation) -> Document:
    return reference(
        organisation_types(organisation), organisation.get_absolute_url(), organisation.name
    )


def network() -> Document:
    """The network itself, for what it publishes in its own name."""
    return node("Organization", name=settings.SITE_NAME, url=settings.SITE_URL)


def skill_term(skill: Skill) -> Document:
    """A skill as a term: ESCO's own concept when the skill names one, else a term of the
    network's skills list (the API's, where each skill has its slug)."""
    if skill.esco_uri:
        return {
            "@type": "DefinedTerm",
            "@id": skill.esco_uri,
            "name": skill.name,
            "inDefinedTermSet": ESCO_SKILLS,
        }
    return node(
        "DefinedTerm",
        name=skill.name,
        termCode=skill.slug,
        inDefinedTermSet=absolute("/api/v1/skills/"),
    )


def language(lang: Language) -> Document:
    return language_term(lang.code, lang.name)


def _country(code: str) -> Document | None:
    if not code:
        return None
    return node("Country", name=countries.name(code) or code, identifier=code)


def alternate_document(alternate: Alternate) -> Document:
    """The co-op's document at another address (its Murmurations profile), as schema.org names
    a work about it."""
    return node(
        "DigitalDocument",
        name=alternate.title,
        url=alternate.href,
        encodingFormat=alternate.media_type,
        schemaVersion=alternate.schema,
    )


def organisation_document(
    organisation: Organisation,
    *,
    members: Iterable[Organisation] = (),
    alternates: Iterable[Alternate] = (),
) -> Document:
    """A public co-op, federation or partner. `members`: for a federation, the member co-ops
    a visitor may see; `alternates`: its documents at other addresses. Its federations are read
    from the prefetched relation and kept to the public ones."""
    federations = [organisation_reference(f) for f in organisation.federations.all() if f.is_public]
    return document(
        organisation_types(organisation),
        organisation.get_absolute_url(),
        additionalType=COOPERATIVE_URL if organisation.kind != Organisation.Kind.PARTNER else None,
        name=organisation.name,
        alternateName=organisation.slug,
        description=organisation.short_description,
        foundingDate=str(organisation.founded) if organisation.founded else None,
        address=node(
            "PostalAddress",
            addressCountry=str(organisation.country),
            addressLocality=organisation.city,
        ),
        areaServed=_country(str(organisation.country)),
        knowsLanguage=[language(lang) for lang in organisation.languages.all()],
        memberOf=federations,
        member=[organisation_reference(m) for m in members],
        numberOfEmployees=node("QuantitativeValue", value=organisation.size)
        if organisation.size
        else None,
        sameAs=organisation.website,
        logo=absolute(organisation.logo.url) if organisation.logo else None,
        subjectOf=[alternate_document(alternate) for alternate in alternates],
    )


def tombstone_document(organisation: Organisation) -> Document:
    """What stays of a co-op that left: its name and dates, and why."""
    return document(
        organisation_types(organisation),
        organisation.get_absolute_url(),
        name=organisation.name,
        foundingDate=str(organisation.founded) if organisation.founded else None,
        dissolutionDate=day(organisation.left_on) if organisation.dissolved else None,
        description=organisation.left_reason,
    )


def person_document(person: Person) -> Document:
    """A public profile: the person's name, bio, co-op, skills and languages, and only the
    contact fields they made visible to everyone."""
    public = visible_contact_fields(None, person)
    skills = [skill_term(ps.skill) for ps in person.person_skills.all()]
    return document(
        "Person",
        person.get_absolute_url(),
        name=person.display_name,
        description=plain_text(person.bio),
        worksFor=organisation_reference(person.organisation),
        memberOf=organisation_reference(person.organisation),
        homeLocation=_country(str(person.country)) if person.country else None,
        knowsAbout=unique(skills),
        knowsLanguage=[language(pl.language) for pl in person.person_languages.all()],
        email=person.contact_email if "contact_email" in public else None,
        telephone=person.phone if "phone" in public else None,
        sameAs=person.website if "website" in public else None,
    )
