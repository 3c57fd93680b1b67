"""Load the demo network, or a large generated one for benchmarks.

    manage.py seed_demo
        About 100 co-ops in 26 countries, federations and partners, 2,000 people with skills,
        languages and timezones that fit their country, and three demo accounts. Idempotent:
        organisations are looked up by slug, and a co-op's people are created only together with
        the co-op, so a second run creates nothing and changes nothing (edits made in the demo
        survive `make run` restarts).

    manage.py seed_demo --organisations 100000 --people 1000000
        Generated organisations ("<demo co-op name> <n>", slug "bulk-<n>") and people, inserted
        in batches. It tops up to the numbers given: organisations whose slug already exists are
        skipped, and only as many people are added as are missing from the generated
        organisations, so running it again with the same numbers creates nothing. Each batch is
        committed on its own, so an interrupted run resumes where it stopped. No demo accounts.

Everything is drawn from one fixed random seed, so the same command builds the same network.
"""

from __future__ import annotations

import os
import random
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as at_hour
from enum import Enum
from functools import cache
from importlib import import_module
from itertools import accumulate, islice
from operator import itemgetter

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.text import slugify
from django.utils.translation import gettext as _
from tqdm import tqdm

from accounts.models import User
from members import demo_data, selectors
from members.models import (
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    SkillCategory,
    Visibility,
)
from members.search import refresh_search_vectors
from patio.dates import network_today

SEED = 2026
DEMO_PASSWORD = demo_data.DEMO_PASSWORD
DEMO_PEOPLE = 2000
STAFF_PER_NON_COOP = 2
BULK_SLUG_PREFIX = "bulk-"
VECTOR_BATCH = 50_000
VECTOR_WORKERS = min(4, os.cpu_count() or 2)
BULK_TEMPLATES = 64

# Levels 1 to 4 and how long people at each level have been at it.
LEVEL_WEIGHTS = (15, 45, 30, 10)
YEARS_BY_LEVEL = {1: (0, 2), 2: (1, 8), 3: (4, 18), 4: (6, 30)}
PROFILE_KEYS = tuple(demo_data.PROFILES)
COUNTRY_BY_CODE = {country.code: country for country in demo_data.COUNTRIES}


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


# Reference data -------------------------------------------------------------------------------
@dataclass
class Reference:
    """Ids of the taxonomy rows, and what the generators draw from."""

    language_ids: dict[str, int]
    sector_ids: dict[str, int]
    skill_ids: dict[str, int]
    # Per profile: skill ids and cumulative weights for rng.choices.
    profile_skills: dict[str, tuple[list[int], list[float]]] = field(default_factory=dict)
    skill_names: dict[int, str] = field(default_factory=dict)


def ensure_reference_data() -> Reference:
    """Languages, sectors, skill categories and skills: created when missing, never changed."""
    with transaction.atomic():
        existing = set(Language.objects.values_list("code", flat=True))
        Language.objects.bulk_create(
            Language(code=code, name=name)
            for code, name in demo_data.LANGUAGES
            if code not in existing
        )
        existing = {*Sector.objects.values_list("slug", flat=True)}
        existing |= {*Sector.objects.values_list("name", flat=True)}
        Sector.objects.bulk_create(
            Sector(name=name, slug=slugify(name))
            for name in demo_data.SECTORS
            if not {name, slugify(name)} & existing
        )
        existing = {*SkillCategory.objects.values_list("slug", flat=True)}
        existing |= {*SkillCategory.objects.values_list("name", flat=True)}
        SkillCategory.objects.bulk_create(
            SkillCategory(slug=slug, name=name, position=position)
            for position, (slug, name) in enumerate(demo_data.SKILL_CATEGORIES)
            if not {slug, name} & existing
        )
        categories = dict(SkillCategory.objects.values_list("name", "id"))
        category_ids = dict(SkillCategory.objects.values_list("slug", "id"))
        names = dict(demo_data.SKILL_CATEGORIES)
        category_ids = {slug: category_ids.get(slug) or categories[names[slug]] for slug in names}
        existing = {*Skill.objects.values_list("slug", flat=True)}
        existing |= {*Skill.objects.values_list("name", flat=True)}
        Skill.objects.bulk_create(
            Skill(
                name=spec.name,
                slug=slugify(spec.name),
                category_id=category_ids[spec.category],
                synonyms=spec.synonyms,
                esco_uri=spec.esco_uri,
            )
            for spec in demo_data.SKILLS
            if not {spec.name, slugify(spec.name)} & existing
        )
    ref = Reference(
        language_ids=dict(Language.objects.values_list("code", "id")),
        sector_ids=_ids_by_our_names(Sector, demo_data.SECTORS),
        skill_ids=_ids_by_our_names(Skill, [spec.name for spec in demo_data.SKILLS]),
    )
    ref.skill_names = {pk: name for name, pk in ref.skill_ids.items()}
    for key, profile in demo_data.PROFILES.items():
        ids, weights = [], []
        for spec in demo_data.SKILLS:
            weight = profile.categories.get(spec.category, 0.3)
            if spec.name in profile.highlights:
                weight += 6
            if spec.name in demo_data.RARE_SKILLS:
                weight = 0
            ids.append(ref.skill_ids[spec.name])
            weights.append(weight)
        ref.profile_skills[key] = (ids, list(accumulate(weights)))
    return ref


def _ids_by_our_names(model, names: Iterable[str]) -> dict[str, int]:
    """Ids of our rows by our names, whether a row was found by its name or by its slug."""
    by_name = dict(model.objects.values_list("name", "id"))
    by_slug = dict(model.objects.values_list("slug", "id"))
    return {name: by_name.get(name) or by_slug[slugify(name)] for name in names}


# People ---------------------------------------------------------------------------------------
def _family_name(family: str, female: bool) -> str:
    masculine, _slash, feminine = family.partition("/")
    return feminine if female and feminine else masculine


@cache
def _handle(name: str) -> str:
    return slugify(name).replace("-", ".") or "person"


def _table(pairs) -> tuple:
    """Each value repeated by its integer weight: a weighted pick is then a single index, which
    matters when a million people are drawn."""
    return tuple(value for value, weight in pairs for _ in range(weight))


def _pick(rnd, table: tuple):
    return table[int(rnd() * len(table))]


_PUBLIC, _MEMBERS, _HIDDEN = (
    Visibility.PUBLIC.value,
    Visibility.MEMBERS.value,
    Visibility.HIDDEN.value,
)
LEVELS = _table(zip((1, 2, 3, 4), LEVEL_WEIGHTS, strict=True))
EMAIL_VISIBILITY = _table(((_PUBLIC, 4), (_MEMBERS, 13), (_HIDDEN, 3)))
PHONE_VISIBILITY = _table(((_PUBLIC, 1), (_MEMBERS, 7), (_HIDDEN, 12)))
CHAT_VISIBILITY = _table(((_PUBLIC, 5), (_MEMBERS, 12), (_HIDDEN, 3)))
WEBSITE_VISIBILITY = _table(((_PUBLIC, 16), (_MEMBERS, 3), (_HIDDEN, 1)))
PROFILE_VISIBILITY = _table(
    ((Person.ProfileVisibility.PUBLIC.value, 9), (Person.ProfileVisibility.MEMBERS.value, 11))
)
# How people choose to hear of opportunities that fit them: most as each opens (the default),
# some in the weekly digest, a few never.
OPPORTUNITY_NOTIFICATIONS = _table(
    (
        (Person.Notify.IMMEDIATELY.value, 14),
        (Person.Notify.WEEKLY.value, 4),
        (Person.Notify.NEVER.value, 2),
    )
)
# Hours a week for network projects, beside the co-op's own work: people active in the network
# give a working day or two; the others a few hours, some none at all.
ACTIVE_HOURS = _table(((4, 1), (6, 2), (8, 4), (10, 3), (12, 2), (16, 2), (20, 2)))
PASSIVE_HOURS = _table(((0, 2), (2, 3), (4, 3), (6, 3), (8, 2)))
# The local working day: (start, hours). Most work office hours, starting 7:00 to 10:00; some
# part-time, some in the evening (network work after the co-op's own day).
WORKDAY_STARTS = _table(
    (
        (at_hour(7), 1),
        (at_hour(8), 4),
        (at_hour(8, 30), 2),
        (at_hour(9), 6),
        (at_hour(9, 30), 2),
        (at_hour(10), 2),
    )
)
WORKDAY_HOURS = _table(((4, 2), (6, 3), (7, 3), (8, 8), (9, 2)))
EVENING_SHARE = 0.06
OPT_OUT_SHARE = 0.08  # people who asked not to be proposed for teams
ACTIVE, PASSIVE = Person.Participation.ACTIVE.value, Person.Participation.PASSIVE.value


@cache
def _country_tables(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(first languages weighted, cities) of a country."""
    country = COUNTRY_BY_CODE[code]
    return _table(country.native), tuple(country.cities)


def person_skills(
    rng: random.Random, ref: Reference, profile: str, count: int
) -> list[tuple[int, int, int]]:
    """`count` distinct (skill id, level, years), drawn mostly from the co-op's line of work."""
    ids, cum_weights = ref.profile_skills[profile]
    chosen = dict.fromkeys(rng.choices(ids, cum_weights=cum_weights, k=count + 2))
    while len(chosen) < count:
        chosen.update(dict.fromkeys(rng.choices(ids, cum_weights=cum_weights, k=count)))
    rnd, result = rng.random, []
    for skill_id in list(chosen)[:count]:
        level = _pick(rnd, LEVELS)
        low, high = YEARS_BY_LEVEL[level]
        result.append((skill_id, level, low + int(rnd() * (high - low + 1))))
    return result


def person_languages(
    rng: random.Random, ref: Reference, country: demo_data.Country
) -> list[tuple[int, int]]:
    """One to three (language id, proficiency): a first language, then what else people here
    commonly speak (English often)."""
    rnd = rng.random
    spoken = {_pick(rnd, _country_tables(country.code)[0]): 4}
    for code, share in country.extra:
        if len(spoken) == 3:
            break
        if code not in spoken and rnd() < share:
            spoken[code] = 3 + int(rnd() * 2) if share >= 1 else _pick(rnd, (1, 1, 2, 2, 3))
    return [(ref.language_ids[code], level) for code, level in spoken.items()]


def person_fields(
    rng: random.Random,
    *,
    country: demo_data.Country,
    city: str,
    coop_name: str,
    coop_slug: str,
    profile: str,
    active_share: float,
    today: date,
    number: int | None = None,
) -> dict:
    """The columns of one invented person of a co-op in `city`."""
    rnd = rng.random
    female = rnd() < 0.5
    first = _pick(rnd, country.female if female else country.male)
    name = f"{first} {_family_name(_pick(rnd, country.family), female)}"
    tz = country.cities[city if rnd() < 0.85 else _pick(rnd, _country_tables(country.code)[1])]
    active = rnd() < active_share
    handle = _handle(name) if number is None else f"{_handle(name)}.{number}"
    bio = ""
    if rnd() < 0.9:
        role = demo_data.PROFILES[profile].role
        opening = _pick(rnd, demo_data.BIO_OPENINGS).format(
            role=role[0].upper() + role[1:],
            role_lower=role,
            coop=coop_name.split(" ")[-1] if len(coop_name) > 40 else coop_name,
            city=city,
            since=2008 + int(rnd() * (today.year - 2007)),
        )
        bio = f"{opening} {_pick(rnd, demo_data.BIO_CLOSINGS)}".rstrip()
    phone = ""
    if rnd() < 0.5:
        digits = f"{int(rnd() * 1e10):010d}"
        phone = f"{country.phone_prefix} {digits[:3]} {digits[3:6]} {digits[6:]}"
    return {
        "display_name": name,
        "bio": bio,
        "country": country.code,
        "timezone": tz,
        "language": country.site_language,
        "participation": ACTIVE if active else PASSIVE,
        **work_fields(rnd, active=active, today=today),
        "profile_visibility": _pick(rnd, PROFILE_VISIBILITY),
        "contact_email": f"{handle}@{coop_slug}.example",
        "contact_email_visibility": _pick(rnd, EMAIL_VISIBILITY),
        "phone": phone,
        "phone_visibility": _pick(rnd, PHONE_VISIBILITY),
        "chat": f"@{handle}:{coop_slug}.example" if rnd() < 0.6 else "",
        "chat_visibility": _pick(rnd, CHAT_VISIBILITY),
        "website": f"https://{handle}.example" if rnd() < 0.15 else "",
        "website_visibility": _pick(rnd, WEBSITE_VISIBILITY),
        "opportunity_notifications": _notification_choice(f"{coop_slug}:{handle}"),
    }


def _notification_choice(key: str) -> str:
    # Drawn from its own hash, not from `rng`: the people's other columns stay as they were.
    return OPPORTUNITY_NOTIFICATIONS[zlib.crc32(key.encode()) % len(OPPORTUNITY_NOTIFICATIONS)]


def work_fields(rnd, *, active: bool, today: date) -> dict:
    """What team matching reads about a person: hours, availability, working day, consent."""
    if rnd() < EVENING_SHARE:
        start, hours = at_hour(18), 3 + int(rnd() * 2)
    else:
        start, hours = _pick(rnd, WORKDAY_STARTS), _pick(rnd, WORKDAY_HOURS)
    end = (datetime.combine(today, start) + timedelta(hours=hours)).time()
    busy_for_now = rnd() < (0.2 if active else 0.1)
    return {
        "hours_per_week": _pick(rnd, ACTIVE_HOURS if active else PASSIVE_HOURS),
        "available_from": today + timedelta(days=7 + int(rnd() * 90)) if busy_for_now else None,
        "workday_start": start,
        "workday_end": end,
        "open_to_matching": rnd() >= OPT_OUT_SHARE,
    }


def _with_skills_in_bio(fields: dict, skills: list[tuple[int, int, int]], ref: Reference, rng):
    if fields["bio"] and len(skills) >= 3 and rng.random() < 0.7:
        names = [ref.skill_names[skill_id] for skill_id, _level, _years in skills]
        sentence = rng.choice(demo_data.BIO_SKILLS).format(
            skill1=names[0], skill2=names[1], skill3=names[2]
        )
        fields["bio"] = f"{fields['bio']} {sentence}"


# The demo network -----------------------------------------------------------------------------
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


def _coop_bases() -> list[tuple[demo_data.Country, str, str, str]]:
    """The 100 demo co-ops as (country, name, city, kind)."""
    return [
        (country, coop[0], coop[1], coop[2] if len(coop) > 2 else Organisation.Kind.WORKER_COOP)
        for country in demo_data.COUNTRIES
        for coop in country.coops
    ]


def _founded(rng: random.Random) -> int:
    low, high = rng.choices(((1978, 1999), (2000, 2012), (2013, 2023)), (10, 40, 50))[0]
    return rng.randint(low, high)


def _org_languages(rng: random.Random, countries: Iterable[demo_data.Country]) -> list[str]:
    codes = [
        code
        for country in countries
        for code, weight in country.native
        if weight >= 10 or len(country.native) == 1
    ]
    if "en" not in codes and rng.random() < 0.75:
        codes.append("en")
    return list(dict.fromkeys(codes))


def _coop_description(rng, *, name, city, founded, profile: demo_data.Profile, kind) -> tuple:
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


def demo_plan() -> list[OrgPlan]:
    """The demo network as data. It depends on nothing but the seed: the same on every run."""
    rng = random.Random(SEED)
    bases = _coop_bases()
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

    plans = []
    for i, (country, name, city, kind) in enumerate(bases):
        profile_key = rng.choice(PROFILE_KEYS)
        profile = demo_data.PROFILES[profile_key]
        second = demo_data.PROFILES[rng.choice(PROFILE_KEYS)] if rng.random() < 0.4 else profile
        founded = _founded(rng)
        short, description = _coop_description(
            rng, name=name, city=city, founded=founded, profile=profile, kind=kind
        )
        services = list(dict.fromkeys(profile.services + second.services[:2]))
        federations = []
        if country.code in national and rng.random() < 0.8:
            federations.append(national[country.code])
        if rng.random() < 0.45:
            federations.append(international)
        plans.append(
            OrgPlan(
                slug=slugify(name),
                name=name,
                kind=kind,
                country=country,
                city=city,
                profile=profile_key,
                status=statuses.get(i, Organisation.Status.MEMBER),
                people=people[i],
                founded=founded,
                short_description=short,
                description=description,
                services=rng.sample(services, min(len(services), rng.randint(3, 5))),
                sectors=list(dict.fromkeys(profile.sectors + second.sectors[:1])),
                languages=_org_languages(rng, [country]),
                federations=federations,
            )
        )
    for fed in demo_data.FEDERATIONS:
        countries = [COUNTRY_BY_CODE[c] for c in fed.member_countries] or [
            COUNTRY_BY_CODE[fed.country]
        ]
        plans.append(
            OrgPlan(
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
                languages=list(dict.fromkeys([*_org_languages(rng, countries), "en"])),
                federations=[international] if fed.member_countries else [],
            )
        )
    for partner in demo_data.PARTNERS:
        country = COUNTRY_BY_CODE[partner.country]
        plans.append(
            OrgPlan(
                slug=slugify(partner.name),
                name=partner.name,
                kind=Organisation.Kind.PARTNER,
                country=country,
                city=partner.city,
                profile="erp",
                status=Organisation.Status.MEMBER,
                people=STAFF_PER_NON_COOP,
                founded=_founded(rng),
                short_description=partner.short_description,
                description=partner.short_description,
                services=[],
                sectors=list(partner.sectors),
                languages=_org_languages(rng, [country]),
            )
        )
    slugs = [plan.slug for plan in plans]
    assert len(set(slugs)) == len(slugs), "demo organisation slugs must be unique"
    return plans


def _status_dates(rng: random.Random, plan: OrgPlan, now: datetime) -> dict:
    today = now.date()
    earliest = date(max(plan.founded, 2012), 1, 1)
    joined = earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days - 60)))
    if plan.status == Organisation.Status.APPLICANT:
        return {"status_changed_at": now - timedelta(days=rng.randint(5, 150))}
    if plan.status == Organisation.Status.LEFT:
        left = min(today, joined + timedelta(days=rng.randint(200, 2000)))
        return {"joined_on": joined, "left_on": left, "status_changed_at": _at_noon(left)}
    if plan.status == Organisation.Status.SUSPENDED:
        return {
            "joined_on": joined,
            "status_changed_at": now - timedelta(days=rng.randint(10, 200)),
        }
    return {"joined_on": joined, "status_changed_at": _at_noon(joined)}


def insert_rows(
    model, rows: list, *, columns: tuple[str, ...] | None = None, return_ids: bool = True
) -> list[int]:
    """Insert rows, given as {attname: value} or, with `columns`, as tuples in that order;
    returns the new ids in order (only for dict rows).

    PostgreSQL gets COPY, with ids taken from the table's sequence first: several times faster
    than bulk_create, whose per-object work dominates at a million rows. Elsewhere, bulk_create.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**(dict(zip(columns, row, strict=True)) if columns else row)) for row in rows]
        objs = model.objects.bulk_create(objs, batch_size=2000)
        return [obj.pk for obj in objs] if return_ids and not columns else []
    quote = connection.ops.quote_name
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if columns:
            names = [model._meta.get_field(name.removesuffix("_id")).column for name in columns]
            sql = f"COPY {quote(table)} ({', '.join(map(quote, names))}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return []
        now = timezone.now()
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        names = [f.attname for f in fields]
        defaults = {
            f.attname: now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in fields
        }
        getter = itemgetter(*names)
        # Choices are Enum members, which psycopg would write by name ("ACTIVE"), not by value.
        enums = any(isinstance(value, Enum) for value in rows[0].values())
        columns = [f.column for f in fields]
        ids: list[int] = []
        if return_ids:
            pk = model._meta.pk
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns = [pk.column, *columns]
        sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for i, row in enumerate(rows):
                values = getter(defaults | row)
                if enums:
                    values = [_plain(value) for value in values]
                copy.write_row((ids[i], *values) if return_ids else values)
    return ids


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def _link_m2m(rows: list[tuple[int, str, list[int]]]) -> None:
    """Insert (organisation id, relation, target ids) into the through tables."""
    columns = {
        "sectors": ("organisation_id", "sector_id"),
        "languages": ("organisation_id", "language_id"),
        "federations": ("from_organisation_id", "to_organisation_id"),
    }
    for relation, names in columns.items():
        insert_rows(
            getattr(Organisation, relation).through,
            [
                (org_id, target_id)
                for org_id, rel, target_ids in rows
                if rel == relation
                for target_id in target_ids
            ],
            columns=names,
        )


def _insert_people(rows: list[tuple[dict, list, list]]) -> list[int]:
    """Insert people with their skills and languages; returns the new person ids."""
    ids = insert_rows(Person, [fields for fields, _skills, _languages in rows])
    insert_rows(
        PersonSkill,
        [
            (pk, skill_id, level, years)
            for pk, (_f, skills, _l) in zip(ids, rows, strict=True)
            for skill_id, level, years in skills
        ],
        columns=("person_id", "skill_id", "level", "years"),
    )
    insert_rows(
        PersonLanguage,
        [
            (pk, language_id, level)
            for pk, (_f, _s, languages) in zip(ids, rows, strict=True)
            for language_id, level in languages
        ],
        columns=("person_id", "language_id", "proficiency"),
    )
    return ids


def _bulk_profile(n: int) -> str:
    return PROFILE_KEYS[(n * 7) % len(PROFILE_KEYS)]


def _analyze(*, vacuum: bool = False) -> None:
    """Refresh the planner's statistics; after a bulk load they describe nearly empty tables,
    and the vector update's subqueries then pick sequential scans."""
    if not settings.USES_POSTGRES:
        return
    tables = [
        model._meta.db_table
        for model in (
            Organisation,
            Organisation.sectors.through,
            Organisation.languages.through,
            Organisation.federations.through,
            Person,
            PersonSkill,
            PersonLanguage,
        )
    ]
    # VACUUM also clears the dead rows the vector update leaves; it cannot run in a transaction.
    verb = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{verb} {', '.join(connection.ops.quote_name(t) for t in tables)}")


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Load the demo network (about 100 co-ops in 26 countries, 2,000 people and three "
            "demo accounts), or with --organisations/--people a large generated network for "
            "benchmarks. Running it again creates nothing that already exists."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            metavar="N",
            help=_("Generate N organisations (slugs bulk-1 to bulk-N) instead of the demo."),
        )
        parser.add_argument(
            "--people",
            type=int,
            metavar="M",
            help=_("Top the people of the generated organisations up to M."),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help=_("Rows per insert batch in bulk mode."),
        )

    def handle(self, *args, organisations=None, people=None, batch_size=5000, **options):
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        if organisations is None and people is None:
            self.seed_demo()
        else:
            if (organisations or 0) < 0 or (people or 0) < 0 or batch_size < 1:
                raise CommandError(_("The numbers must be positive."))
            if organisations is None:
                organisations = max(1, -(-people // 10))
            if people is None:
                people = organisations * 10
            if people and not organisations:
                raise CommandError(_("People need organisations: give --organisations too."))
            self.seed_bulk(organisations, people, batch_size)
        selectors.directory_changed()  # bulk writes send no signals
        self.say(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def say(self, message: str, style=None) -> None:
        if self.verbosity >= 1:
            self.stdout.write(style(message) if style else message)

    def progress(self, total: int, description: str) -> tqdm:
        return tqdm(
            total=total,
            desc=description,
            unit=" rows",
            file=sys.stderr,
            disable=self.verbosity < 1 or total == 0,
            dynamic_ncols=True,
        )

    # The demo network -------------------------------------------------------------------------
    @transaction.atomic
    def seed_demo(self) -> None:
        ref = ensure_reference_data()
        now = timezone.now()
        plans = demo_plan()
        existing = dict(
            Organisation.objects.filter(slug__in=[p.slug for p in plans]).values_list("slug", "id")
        )
        new_plans = [plan for plan in plans if plan.slug not in existing]

        created = insert_rows(Organisation, [self._organisation(plan, now) for plan in new_plans])
        ids = existing | {plan.slug: pk for plan, pk in zip(new_plans, created, strict=True)}
        rows = []
        for plan, org_id in zip(new_plans, created, strict=True):
            rows.append((org_id, "sectors", [ref.sector_ids[s] for s in plan.sectors]))
            rows.append((org_id, "languages", [ref.language_ids[c] for c in plan.languages]))
            rows.append((org_id, "federations", [ids[s] for s in plan.federations]))
        _link_m2m(rows)

        people_rows = []
        for plan, org_id in zip(new_plans, created, strict=True):
            people_rows.extend(self._people_of(plan, org_id, ref, now.date()))
        person_ids = _insert_people(people_rows)

        accounts, demo_people = self._demo_accounts(ref, ids, now.date())
        person_ids += [person.pk for person in demo_people]
        org_ids = created + [person.organisation_id for person in demo_people]
        if org_ids or person_ids:
            # Fresh statistics first: planned on stale ones (tables seen empty), the vector
            # UPDATE's per-row subqueries can take minutes instead of a second.
            _analyze()
            refresh_search_vectors(organisation_ids=org_ids, person_ids=person_ids)
            _analyze()

        total_orgs = Organisation.objects.filter(slug__in=[p.slug for p in plans]).count()
        total_people = Person.objects.filter(organisation__slug__in=[p.slug for p in plans]).count()
        self.say(
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
        self.seed_other_apps()
        self.say(
            _("Demo accounts, all with the password “%(password)s”:") % {"password": DEMO_PASSWORD}
        )
        for label, email in accounts:
            self.say(f"  {label:<22} {email}", self.style.SUCCESS)

    def seed_other_apps(self) -> None:
        """Each app above the directory adds its part through `<app>/demo.py: seed(say=…)`,
        in INSTALLED_APPS order (circles before the opportunities they post). Found through
        the app registry: the directory imports none of them."""
        for app_config in apps.get_app_configs():
            if app_config.name == "members" or not module_has_submodule(app_config.module, "demo"):
                continue
            import_module(f"{app_config.name}.demo").seed(say=self.say)

    def _organisation(self, plan: OrgPlan, now: datetime) -> dict:
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

    def _people_of(self, plan: OrgPlan, org_id: int, ref: Reference, today: date):
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
            _with_skills_in_bio(fields, skills, ref, rng)
            fields["organisation_id"] = org_id
            # Every co-op has an admin; bigger ones have two.
            fields["is_coop_admin"] = i == 0 or (i == 1 and plan.people >= 15)
            yield fields, skills, person_languages(rng, ref, plan.country)

    def _demo_accounts(self, ref: Reference, org_ids: dict[str, int], today: date):
        """The three accounts the README and `make run` print. The password is set when an
        account is created; a password changed later in the demo is left alone."""
        labels = {
            "admin": _("Network admin"),
            "coordinator": _("Circle coordinator"),
            "member": _("Member"),
        }
        accounts, created_people, hashed = [], [], None
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
            accounts.append((labels[account.role], account.email))
            if Person.objects.filter(user=user).exists():
                continue
            slug = slugify(account.coop)
            country = next(
                c for c in demo_data.COUNTRIES if any(k[0] == account.coop for k in c.coops)
            )
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
                "opportunity_notifications": Person.Notify.IMMEDIATELY,
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
            created_people.append(person)
        return accounts, created_people

    # Bulk mode --------------------------------------------------------------------------------
    def seed_bulk(self, n_orgs: int, n_people: int, batch_size: int) -> None:
        ref = ensure_reference_data()
        self.skip_fk_checks = False
        if settings.USES_POSTGRES and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                self.skip_fk_checks = cursor.fetchone()[0]
        # Work in the database can overlap ours only on other connections, which cannot see
        # an enclosing transaction's rows (as in tests): then everything runs in line.
        self.overlap = settings.USES_POSTGRES and not connection.in_atomic_block
        new_orgs = self._bulk_organisations(n_orgs, batch_size, ref)
        new_people = self._bulk_people(n_people, batch_size, ref)
        if new_orgs or new_people:
            # Every organisation's vector lists its people's skills: refreshed once all are in.
            _analyze()
            self._refresh_organisation_vectors()
            _analyze(vacuum=True)
        self.say(
            _("Generated network: %(orgs)d organisations and %(people)d people created now.")
            % {"orgs": new_orgs, "people": new_people}
        )

    @contextmanager
    def batch(self):
        """One committed transaction per batch, so an interrupted run keeps what it made.

        As a superuser (the benchmark's throwaway cluster), foreign-key triggers are skipped
        within the batch, as pg_restore --disable-triggers does: every id we insert was just read
        from or allocated by the database, and the checks would double the time of a large load.
        """
        with transaction.atomic():
            if self.skip_fk_checks:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            yield

    def _bulk_organisations(self, n_orgs: int, batch_size: int, ref: Reference) -> int:
        bases = _coop_bases()
        existing = {
            int(suffix)
            for slug in Organisation.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
            .values_list("slug", flat=True)
            .iterator(chunk_size=10_000)
            if (suffix := slug.removeprefix(BULK_SLUG_PREFIX)).isdigit()
        }
        # Federations first, so the co-ops of every batch can join one.
        missing = sorted(
            (n for n in range(1, n_orgs + 1) if n not in existing), key=lambda n: n % 500 != 1
        )
        federation_ids = dict(
            Organisation.objects.filter(
                slug__startswith=BULK_SLUG_PREFIX, kind=Organisation.Kind.FEDERATION
            ).values_list("slug", "id")
        )
        now = timezone.now()
        today = now.date()
        statuses = (
            Organisation.Status.MEMBER,
            Organisation.Status.APPLICANT,
            Organisation.Status.SUSPENDED,
            Organisation.Status.LEFT,
        )
        sector_ids = list(ref.sector_ids.values())
        with self.progress(len(missing), _("Organisations")) as bar:
            for chunk in _chunks(missing, batch_size):
                rng = random.Random(f"{SEED}:bulk-orgs:{chunk[0]}")
                orgs, links = [], []
                for n in chunk:
                    country, base, city, kind = bases[(n - 1) % len(bases)]
                    if n % 500 == 1:
                        kind = Organisation.Kind.FEDERATION
                    elif n % 700 == 2:
                        kind = Organisation.Kind.PARTNER
                    profile = demo_data.PROFILES[_bulk_profile(n)]
                    status = rng.choices(statuses, (90, 4, 3, 3))[0]
                    founded = _founded(rng)
                    joined = None
                    if status != Organisation.Status.APPLICANT:
                        joined = today - timedelta(days=rng.randint(60, 3000))
                    org = {
                        "name": f"{base} {n}",
                        "slug": f"{BULK_SLUG_PREFIX}{n}",
                        "kind": kind,
                        "country": country.code,
                        "city": city,
                        "short_description": f"A worker co-op in {city} {profile.focus}.",
                        "description": f"Founded in {founded}. We are {profile.focus}.",
                        "founded": founded,
                        "size": rng.randint(3, 60),
                        "services": "\n".join(rng.sample(profile.services, 3)),
                        "status": status,
                        "joined_on": joined,
                        "left_on": today if status == Organisation.Status.LEFT else None,
                        "status_changed_at": _at_noon(joined) if joined else now,
                    }
                    orgs.append((org, country, profile))
                with self.batch():
                    org_ids = insert_rows(Organisation, [org for org, _c, _p in orgs])
                    for (org, _c, _p), org_id in zip(orgs, org_ids, strict=True):
                        if org["kind"] == Organisation.Kind.FEDERATION:
                            federation_ids[org["slug"]] = org_id
                    feds = list(federation_ids.values())
                    for (org, country, profile), org_id in zip(orgs, org_ids, strict=True):
                        sectors = [ref.sector_ids[s] for s in profile.sectors[:2]]
                        if rng.random() < 0.3:
                            sectors = list(dict.fromkeys([*sectors, rng.choice(sector_ids)]))
                        languages = [ref.language_ids[c] for c in _org_languages(rng, [country])]
                        links.append((org_id, "sectors", sectors))
                        links.append((org_id, "languages", languages))
                        if feds and org["kind"] != Organisation.Kind.FEDERATION:
                            joins = rng.choices((0, 1, 2), (20, 60, 20))[0]
                            links.append(
                                (org_id, "federations", rng.sample(feds, min(joins, len(feds))))
                            )
                    _link_m2m(links)
                bar.update(len(chunk))
        return len(missing)

    def _bulk_people(self, n_people: int, batch_size: int, ref: Reference) -> int:
        generated = Person.objects.filter(organisation__slug__startswith=BULK_SLUG_PREFIX)
        start = generated.count()
        missing = max(0, n_people - start)
        if not missing:
            return 0
        bases = _coop_bases()
        orgs = []
        for pk, slug in (
            Organisation.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
            .values_list("id", "slug")
            .iterator(chunk_size=10_000)
        ):
            n = int(slug.removeprefix(BULK_SLUG_PREFIX))
            orgs.append((pk, slug, ((n - 1) % len(bases), _bulk_profile(n))))
        if not orgs:
            raise CommandError(_("There are no generated organisations to put people in."))
        today = network_today()
        templates: dict[tuple[int, str], list] = {}

        def people_like(kind: tuple[int, str]) -> list:
            """A few dozen invented people for one (demo co-op, line of work): each generated
            person copies one and gets their own number, co-op and contact details. Drawing
            every field afresh for a million people would cost minutes."""
            if kind not in templates:
                country, base, city, _kind = bases[kind[0]]
                rng = random.Random(f"{SEED}:bulk-template:{kind[0]}:{kind[1]}")
                templates[kind] = [
                    (
                        person_fields(
                            rng,
                            country=country,
                            city=city,
                            coop_name=base,
                            coop_slug="",
                            profile=kind[1],
                            active_share=0.3,
                            today=today,
                        ),
                        person_skills(rng, ref, kind[1], 2 + int(rng.random() * 3)),
                        person_languages(rng, ref, country),
                    )
                    for _i in range(BULK_TEMPLATES)
                ]
            return templates[kind]

        pool = ThreadPoolExecutor(max_workers=1) if self.overlap else None
        pending, new_ids = [], []
        try:
            with self.progress(missing, _("People")) as bar:
                for batch, chunk_start in enumerate(range(start, n_people, batch_size), 1):
                    chunk_end = min(n_people, chunk_start + batch_size)
                    rng = random.Random(f"{SEED}:bulk-people:{chunk_start}")
                    rnd, rows = rng.random, []
                    for number in range(chunk_start, chunk_end):
                        pk, slug, kind = orgs[int(rnd() * len(orgs))]
                        like, skills, languages = _pick(rnd, people_like(kind))
                        fields = like.copy()
                        handle = f"{_handle(fields['display_name'])}.{number}"
                        fields["organisation_id"] = pk
                        fields["contact_email"] = f"{handle}@{slug}.example"
                        if fields["chat"]:
                            fields["chat"] = f"@{handle}:{slug}.example"
                        if fields["website"]:
                            fields["website"] = f"https://{handle}.example"
                        rows.append((fields, skills, languages))
                    with self.batch():
                        ids = _insert_people(rows)
                    if batch & (batch - 1) == 0:  # whenever the load has doubled
                        _analyze()
                    # A person's vector needs only their own rows and their co-op's name, so it
                    # is computed while the next batch is generated.
                    if pool:
                        pending.append(pool.submit(_refresh_on_own_connection, PEOPLE, ids))
                    else:
                        new_ids.extend(ids)
                    bar.update(len(rows))
            with self.progress(missing, _("Search vectors (people)")) as bar:
                for future in pending:
                    bar.update(future.result())
                for chunk in _chunks(new_ids, VECTOR_BATCH):
                    bar.update(_refresh(PEOPLE, chunk))
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
        return missing

    def _refresh_organisation_vectors(self) -> None:
        """Recompute every organisation's search vector, in id ranges so each statement stays
        short, on several connections at once when it may: one statement uses one core."""
        if not settings.USES_POSTGRES:
            return
        bounds = Organisation.objects.aggregate(low=Min("id"), high=Max("id"))
        if bounds["low"] is None:
            return
        low, high, step = bounds["low"], bounds["high"] + 1, VECTOR_BATCH // 5
        ranges = [list(range(first, min(high, first + step))) for first in range(low, high, step)]
        with self.progress(high - low, _("Search vectors (organisations)")) as bar:
            if not self.overlap:
                for ids in ranges:
                    bar.update(_refresh(ORGANISATIONS, ids))
                return
            with ThreadPoolExecutor(max_workers=VECTOR_WORKERS) as pool:
                jobs = [(ORGANISATIONS, ids) for ids in ranges]
                for done in pool.map(lambda job: _refresh_on_own_connection(*job), jobs):
                    bar.update(done)


PEOPLE, ORGANISATIONS = "people", "organisations"


def _refresh(kind: str, ids: list[int]) -> int:
    if kind == PEOPLE:
        refresh_search_vectors(person_ids=ids, organisation_ids=[])
    else:
        refresh_search_vectors(organisation_ids=ids, person_ids=[])
    return len(ids)


def _refresh_on_own_connection(kind: str, ids: list[int]) -> int:
    try:
        return _refresh(kind, ids)
    finally:
        connection.close()  # the connection of this worker thread
