"""What a dump holds, read as a visitor reads it, and the dumps the page lists.

Every query here starts from the selector the site's own pages use for an anonymous reader
(`organisations_visible_to(None)`, `person_directory(None)`, `opportunities_visible_to(None)`,
`public_decisions()`, the fund's `public_totals()`…), so a dump can never hold more than a
visitor can open: a private co-op, a members-only profile or field, an erased person or a
members-only opportunity is left out by the same rule that hides it on the pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from assemblies.models import Correction, Decision
from assemblies.selectors import public_decisions
from circles.models import Circle
from circles.selectors import circle_detail
from fund.selectors import public_totals
from members.models import Organisation, Person, PersonLanguage, PersonSkill, Skill
from members.selectors import (
    IN_NETWORK,
    organisation_tombstones,
    organisations_visible_to,
    people_visible_to,
    person_directory,
    with_details,
)
from opendata.models import Dump
from projects.models import Opportunity, OpportunityRole
from projects.selectors.opportunities import opportunity_detail

# The reader every dump is read as: nobody signed in.
VISITOR = None


def coops() -> QuerySet[Organisation]:
    """The network's current member co-ops, federations and partners, as the directory lists
    them to a visitor, with what each co-op's page shows."""
    return with_details(organisations_visible_to(VISITOR)).order_by("name", "id")


def tombstones() -> QuerySet[Organisation]:
    """Co-ops that were members and left: only what their tombstone page (410 Gone) shows."""
    return organisation_tombstones()


def public_people() -> QuerySet[Person]:
    """The people directory as a visitor reads it: public profiles in member co-ops, never an
    erased person."""
    return people_visible_to(VISITOR).filter(IN_NETWORK)


def people() -> QuerySet[Person]:
    """The same people with their co-op, skills and languages, as their pages show them."""
    return person_directory(VISITOR).order_by("id")


def person_skills() -> QuerySet[PersonSkill]:
    return (
        PersonSkill.objects.filter(person__in=public_people())
        .select_related("skill")
        .order_by("person_id", "skill__slug")
    )


def person_languages() -> QuerySet[PersonLanguage]:
    return (
        PersonLanguage.objects.filter(person__in=public_people())
        .select_related("language")
        .order_by("person_id", "language__code")
    )


def skills() -> QuerySet[Skill]:
    """The skills vocabulary (public, as the API's `/skills/`), each with how many of the
    public people list it."""
    public = Q(person_skills__person__in=public_people())
    return (
        Skill.objects.select_related("category")
        .annotate(people=Count("person_skills", filter=public))
        .order_by("slug")
    )


def circles() -> QuerySet[Circle]:
    """Every circle, as the circle pages show it to a visitor."""
    return circle_detail(VISITOR).order_by("slug")


def opportunities() -> QuerySet[Opportunity]:
    """The opportunities a visitor may open: published and public."""
    return opportunity_detail(VISITOR).order_by("id")


def opportunity_roles() -> QuerySet[OpportunityRole]:
    return (
        OpportunityRole.objects.filter(opportunity__in=opportunities().values("pk"))
        .prefetch_related("skills__skill")
        .order_by("opportunity_id", "position", "id")
    )


def decisions() -> QuerySet[Decision]:
    """The decisions of public assemblies, as their pages show them (never the objections,
    which stay with members)."""
    return (
        public_decisions()
        .select_related("assembly", "agenda_item")
        .prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id"))
        )
        .order_by("id")
    )


def corrections() -> QuerySet[Correction]:
    return Correction.objects.filter(decision__in=public_decisions()).order_by(
        "decision_id", "created_at", "id"
    )


def fund_totals() -> dict[str, Any]:
    """The fund's public page: balances, money in and out by month, payouts by circle."""
    return public_totals()


def published() -> QuerySet[Dump]:
    """The dumps one may download, newest first."""
    return Dump.objects.filter(status=Dump.Status.READY).order_by("-version")


def published_dump(version: int) -> Dump | None:
    return published().filter(version=version).first()
