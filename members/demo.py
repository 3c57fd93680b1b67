"""The demo network's directory, the first part of `manage.py seed_demo`.

About 100 co-ops in 26 countries (`members/demo_data.py`), federations and partners, 2,000
people with skills, languages and timezones that fit their country, and the three demo accounts
the README and `make run` print. Everything is drawn from one fixed random seed, so every run
plans the same network (`demo_plan`).

Idempotent: organisations are looked up by slug, and a co-op's people are created only together
with the co-op, so a second run creates nothing and changes nothing (edits made in the demo
survive `make run` restarts).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from members import demo_data
from members.demo_insert import Link, analyze, insert_people, insert_rows, link_m2m
from members.demo_people import (
    COUNTRY_BY_CODE,
    PROFILE_KEYS,
    SEED,
    CoopBase,
    PersonRow,
    Reference,
    at_noon,
    coop_bases,
    ensure_reference_data,
    founded_year,
    org_languages,
    person_fields,
    person_languages,
    person_skills,
    with_skills_in_bio,
)
from members.models import Organisation, Person, PersonLanguage, PersonSkill
from members.search import refresh_search_vectors
from webhooks import demo_log

DEMO_PASSWORD = demo_data.DEMO_PASSWORD
DEMO_PEOPLE = 2000
STAFF_PER_NON_COOP = 2


@dataclass
class OrgPlan:
    slug: str
    name: str
    kind: str
    country: demo_data.Country
    city: str
    profile: str
    status: str
    people: int
    founded: int
    short_description: str
    description: str
    services: list[str]
    sectors: list[str]
    languages: list[str]
    federations: list[str] = field(default_factory=list)


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    ref = ensure_reference_data()
    now = timezone.now()
    plans = demo_plan()
    existing = dict(
        Organisation.objects.filter(slug__in=[p.slug for p in plans]).values_list("slug", "id")
    )
    new_plans = [plan for plan in plans if plan.slug not in existing]
    created, ids = _add_organisations(new_plans, existing, ref, now)
    people_rows = [
        row
        for plan, org_id in zip(new_plans, created, strict=True)
        for row in _people_of(plan, org_id, ref, now.date())
    ]
    person_ids = insert_people(people_rows)

    demo_people = _demo_accounts(ref, ids, now.date())
    person_ids += [person.pk for person in demo_people]
    org_ids = created + [person.organisation_id for person in demo_people]
    if org_ids or person_ids:
        # Fresh statistics first: planned on stale ones (tables seen empty), the vector
        # UPDATE's per-row subqueries can take minutes instead of a second.
        analyze()
        refresh_search_vectors(organisation_ids=org_ids, person_ids=person_ids)
        analyze()

    _partner_tool(plans, say=say)
    total_orgs = Organisation.objects.filter(slug__in=[p.slug for p in plans]).count()
    total_people = Person.objects.filter(organisation__slug__in=[p.slug for p in plans]).count()
    say(
        _(
            "Demo network: %(orgs)d organisations and %(people)d people "
            "(%(new_orgs)d organisations and %(new_people)d people created now)."
        )
        % {
            "orgs": total_orgs,
            "people": total_people,
            "new_orgs": len(created),
            "new_people": len(person_ids),
        }
    )


def _partner_tool(plans: list[OrgPlan], *, say: Callable[[str], None]) -> None:
    """A partner tool with a paused webhook subscription and a short delivery log, for the
    admin's webhook pages (webhooks.demo_log: it sends nothing)."""
    admin = User.objects.filter(is_staff=True, email=demo_data.DEMO_ACCOUNTS[0].email).first()
    members = Organisation.objects.filter(
        slug__in=[p.slug for p in plans], status=Organisation.Status.MEMBER
    ).order_by("id")[:3]
    if admin is not None:
        demo_log.seed(admin=admin, organisations=list(members), say=say)


def _add_organisations(
    new_plans: list[OrgPlan], existing: dict[str, int], ref: Reference, now: datetime
) -> tuple[list[int], dict[str, int]]:
    """Insert the planned organisations not there yet, with their sectors, languages and
    federations; returns their ids, and the ids of every planned organisation by slug."""
    created = insert_rows(Organisation, [_organisation(plan, now) for plan in new_plans])
    ids = existing | {plan.slug: pk for plan, pk in zip(new_plans, created, strict=True)}
    links: list[Link] = []
    for plan, org_id in zip(new_plans, created, strict=True):
        links.append((org_id, "sectors", [ref.sector_ids[s] for s in plan.sectors]))
        links.append((org_id, "languages", [ref.language_ids[c] for c in plan.languages]))
        links.append((org_id, "federations", [ids[s] for s in plan.federations]))
    link_m2m(links)
    return created, ids


# The plan -------------------------------------------------------------------------------------
def demo_plan() -> list[OrgPlan]:
    """The demo network as data. It depends on nothing but the seed: the same on every run."""
    rng = random.Random(SEED)
    bases = coop_bases()
    demo_coops = {account.coop for account in demo_data.DEMO_ACCOUNTS}
    others = [i for i, (_c, name, _city, _k) in enumerate(bases) if name not in demo_coops]
    picked = rng.sample(others, 12)
    statuses = dict.fromkeys(picked[:5], Organisation.Status.APPLICANT)
    statuses |= dict.fromkeys(picked[5:8], Organisation.Status.SUSPENDED)
    statuses |= dict.fromkeys(picked[8:], Organisation.Status.LEFT)

    non_coops = len(demo_data.FEDERATIONS) + len(demo_data.PARTNERS)
    coop_people = DEMO_PEOPLE - len(demo_data.DEMO_ACCOUNTS) - non_coops * STAFF_PER_NON_COOP
    people = _apportion(coop_people, [rng.lognormvariate(0, 0.8) for _ in bases], minimum=3)

    national = {
        code: slugify(fed.name) for fed in demo_data.FEDERATIONS for code in fed.member_countries
    }
    international = next(slugify(f.name) for f in demo_data.FEDERATIONS if not f.member_countries)
    # One generator of random numbers for the whole plan: the order of these calls is the plan.
    plans = []
    for i, base in enumerate(bases):
        status = statuses.get(i, Organisation.Status.MEMBER)
        plans.append(_coop_plan(rng, base, status, people[i], national, international))
    plans += [_federation_plan(rng, fed, international) for fed in demo_data.FEDERATIONS]
    plans += [_partner_plan(rng, partner) for partner in demo_data.PARTNERS]
    slugs = [plan.slug for plan in plans]
    assert len(set(slugs)) == len(slugs), "demo organisation slugs must be unique"
    return plans


def _coop_plan(
    rng: random.Random,
    base: CoopBase,
    status: str,
    people: int,
    national: dict[str, str],
    international: str,
) -> OrgPlan:
    country, name, city, kind = base
    profile_key = rng.choice(PROFILE_KEYS)
    profile = demo_data.PROFILES[profile_key]
    second = demo_data.PROFILES[rng.choice(PROFILE_KEYS)] if rng.random() < 0.4 else profile
    founded = founded_year(rng)
    short, description = _coop_description(
        rng, name=name, city=city, founded=founded, profile=profile, kind=kind
    )
    services = list(dict.fromkeys(profile.services + second.services[:2]))
    federations = []
    if country.code in national and rng.random() < 0.8:
        federations.append(national[country.code])
    if rng.random() < 0.45:
        federations.append(international)
    return OrgPlan(
        slug=slugify(name),
        name=name,
        kind=kind,
        country=country,
        city=city,
        profile=profile_key,
        status=status,
        people=people,
        founded=founded,
        short_description=short,
        description=description,
        services=rng.sample(services, min(len(services), rng.randint(3, 5))),
        sectors=list(dict.fromkeys(profile.sectors + second.sectors[:1])),
        languages=org_languages(rng, [country]),
        federations=federations,
    )


def _federation_plan(
    rng: random.Random, fed: demo_data.FederationSpec, international: str
) -> OrgPlan:
    countries = [COUNTRY_BY_CODE[c] for c in fed.member_countries] or [COUNTRY_BY_CODE[fed.country]]
    return OrgPlan(
        slug=slugify(fed.name),
        name=fed.name,
        kind=Organisation.Kind.FEDERATION,
        country=COUNTRY_BY_CODE[fed.country],
        city=fed.city,
        profile="facilitation",
        status=Organisation.Status.MEMBER,
        people=STAFF_PER_NON_COOP,
        founded=rng.randint(1995, 2020),
        short_description=fed.short_description,
        description=fed.short_description + "\n\nMembers share work, tools, training "
        "and a common voice towards funders and public bodies.",
        services=[
            "Shared bids for large projects",
            "Training for member co-ops",
            "Representation and advocacy",
        ],
        sectors=["Co-op development", "Education and training"],
        languages=list(dict.fromkeys([*org_languages(rng, countries), "en"])),
        federations=[international] if fed.member_countries else [],
    )


def _partner_plan(rng: random.Random, partner: demo_data.PartnerSpec) -> OrgPlan:
    country = COUNTRY_BY_CODE[partner.country]
    return OrgPlan(
        slug=slugify(partner.name),
        name=partner.name,
        kind=Organisation.Kind.PARTNER,
        country=country,
        city=partner.city,
        profile="erp",
        status=Organisation.Status.MEMBER,
        people=STAFF_PER_NON_COOP,
        founded=founded_year(rng),
        short_description=partner.short_description,
        description=partner.short_description,
        services=[],
        sectors=list(partner.sectors),
        languages=org_languages(rng, [country]),
    )


def _coop_description(
    rng: random.Random,
    *,
    name: str,
    city: str,
    founded: int,
    profile: demo_data.Profile,
    kind: str,
) -> tuple[str, str]:
    what = "A worker co-op" if kind == Organisation.Kind.WORKER_COOP else "A co-operative"
    short = f"{what} in {city} {profile.focus}."
    founders = rng.randint(2, 7)
    description = "\n\n".join(
        (
            f"{name} was founded in {founded} by {founders} people who wanted to "
            + rng.choice(
                (
                    "own the place they work in.",
                    "do good work for clients they believe in.",
                    "leave the agency world behind.",
                    "keep their skills in their community.",
                )
            ),
            f"Today we are {profile.focus}. Every worker is an owner, and we decide together "
            + rng.choice(
                (
                    "in a weekly meeting.",
                    "using sociocracy.",
                    "by consent, in circles.",
                    "in a monthly assembly, one member, one vote.",
                )
            ),
            rng.choice(
                (
                    "We share work with other co-ops in the network and are happy to team up.",
                    "We answer every email within two working days.",
                    "We publish our code under free licences whenever our clients agree.",
                    "Most of our clients are NGOs, unions, public bodies and other co-ops.",
                )
            ),
        )
    )
    return short, description


def _apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` into integers in proportion to `weights`, each at least `minimum`."""
    spare = total - minimum * len(weights)
    shares = [spare * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


# Rows -----------------------------------------------------------------------------------------
def _organisation(plan: OrgPlan, now: datetime) -> dict[str, Any]:
    rng = random.Random(f"{SEED}:org:{plan.slug}")
    size = plan.people + rng.randint(0, plan.people // 2 + 1)
    return {
        "name": plan.name,
        "slug": plan.slug,
        "kind": plan.kind,
        "country": plan.country.code,
        "city": plan.city,
        "short_description": plan.short_description,
        "description": plan.description,
        "founded": plan.founded,
        "size": size,
        "website": f"https://{plan.slug}.example",
        "services": "\n".join(plan.services),
        "status": plan.status,
        **_status_dates(rng, plan, now),
    }


def _status_dates(rng: random.Random, plan: OrgPlan, now: datetime) -> dict[str, Any]:
    today = now.date()
    earliest = date(max(plan.founded, 2012), 1, 1)
    joined = earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days - 60)))
    if plan.status == Organisation.Status.APPLICANT:
        return {"status_changed_at": now - timedelta(days=rng.randint(5, 150))}
    if plan.status == Organisation.Status.LEFT:
        left = min(today, joined + timedelta(days=rng.randint(200, 2000)))
        return {"joined_on": joined, "left_on": left, "status_changed_at": at_noon(left)}
    if plan.status == Organisation.Status.SUSPENDED:
        return {
            "joined_on": joined,
            "status_changed_at": now - timedelta(days=rng.randint(10, 200)),
        }
    return {"joined_on": joined, "status_changed_at": at_noon(joined)}


def _people_of(plan: OrgPlan, org_id: int, ref: Reference, today: date) -> Iterator[PersonRow]:
    rng = random.Random(f"{SEED}:people:{plan.slug}")
    active_share = 0.3 if plan.status == Organisation.Status.MEMBER else 0.08
    for i in range(plan.people):
        fields = person_fields(
            rng,
            country=plan.country,
            city=plan.city,
            coop_name=plan.name,
            coop_slug=plan.slug,
            profile=plan.profile,
            active_share=active_share,
            today=today,
        )
        skills = person_skills(
            rng, ref, plan.profile, rng.choices((2, 3, 4, 5, 6), (2, 4, 4, 2, 1))[0]
        )
        with_skills_in_bio(fields, skills, ref, rng)
        fields["organisation_id"] = org_id
        # Every co-op has an admin; bigger ones have two.
        fields["is_coop_admin"] = i == 0 or (i == 1 and plan.people >= 15)
        yield fields, skills, person_languages(rng, ref, plan.country)


# The demo accounts ----------------------------------------------------------------------------
def _demo_accounts(ref: Reference, org_ids: dict[str, int], today: date) -> list[Person]:
    """The three accounts the README and `make run` print; returns the people created now.
    The password is set when an account is created; a password changed later in the demo is
    left alone."""
    created_people, hashed = [], None
    for account in demo_data.DEMO_ACCOUNTS:
        admin = account.role == "admin"
        user, created = User.objects.get_or_create(
            email=account.email, defaults={"is_staff": admin, "is_superuser": admin}
        )
        if created:
            # One hash for the three accounts: hashing is slow on purpose, and these
            # share a published password anyway.
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if not Person.objects.filter(user=user).exists():
            created_people.append(_demo_person(account, user, ref, org_ids, today))
    return created_people


def _demo_person(
    account: demo_data.DemoAccount,
    user: User,
    ref: Reference,
    org_ids: dict[str, int],
    today: date,
) -> Person:
    """The person of a demo account: invented like the others, then given the account's
    name, bio, skills and role."""
    slug = slugify(account.coop)
    country = next(c for c in demo_data.COUNTRIES if any(k[0] == account.coop for k in c.coops))
    city = next(k[1] for k in country.coops if k[0] == account.coop)
    rng = random.Random(f"{SEED}:account:{account.email}")
    fields = person_fields(
        rng,
        country=country,
        city=city,
        coop_name=account.coop,
        coop_slug=slug,
        profile="web",
        active_share=1,
        today=today,
    )
    fields |= {
        "display_name": account.display_name,
        "bio": account.bio,
        "timezone": country.cities[city],
        "contact_email": account.email,
        "participation": (
            Person.Participation.PASSIVE
            if account.role == "member"
            else Person.Participation.ACTIVE
        ),
        "profile_visibility": Person.ProfileVisibility.PUBLIC,
    }
    person = Person.objects.create(
        user=user,
        organisation_id=org_ids[slug],
        is_coop_admin=account.role == "coordinator",
        **fields,
    )
    PersonSkill.objects.bulk_create(
        PersonSkill(person=person, skill_id=ref.skill_ids[name], level=level, years=years)
        for name, level, years in account.skills
    )
    PersonLanguage.objects.bulk_create(
        PersonLanguage(person=person, language_id=language_id, proficiency=level)
        for language_id, level in person_languages(rng, ref, country)
    )
    return person
