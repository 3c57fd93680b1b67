"""Invented co-ops and people: what the demo network (`members/demo.py`) and the generated
network for benchmarks (`members/demo_bulk.py`) both draw from.

The reference data (languages, sectors, skills) is created when missing and never changed. The
generators are pure: given a `random.Random`, they return the columns of one row, so the same
seed always invents the same person. Weighted picks go through `weighted_table` and `pick`, a
single index into a precomputed table, which matters when a million people are drawn.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as at_hour
from functools import cache
from itertools import accumulate
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.text import slugify

from members import demo_data, demo_names, vocabulary
from members.models import Language, Organisation, Person, Sector, Skill, SkillCategory, Visibility

T = TypeVar("T")
Rnd = Callable[[], float]
SkillRow = tuple[int, int, int]  # (skill id, level, years)
LanguageRow = tuple[int, int]  # (language id, proficiency)
PersonRow = tuple[dict[str, Any], list[SkillRow], list[LanguageRow]]
CoopBase = tuple[demo_data.Country, str, str, str]  # (country, name, city, kind)

SEED = 2026
# Levels 1 to 4 and how long people at each level have been at it.
LEVEL_WEIGHTS = (15, 45, 30, 10)
YEARS_BY_LEVEL = {1: (0, 2), 2: (1, 8), 3: (4, 18), 4: (6, 30)}
PROFILE_KEYS = tuple(demo_data.PROFILES)
COUNTRY_BY_CODE = {country.code: country for country in demo_data.COUNTRIES}


def at_noon(day: date) -> datetime:
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
        _ensure_languages_and_sectors()
        _ensure_skills()
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


# The demo's names are English (demo_data); members/demo_names.py gives them in the other
# languages, one column each (members/translation.py).
ENGLISH_NAME = vocabulary.column("name", vocabulary.ENGLISH)


def _names(english: str) -> dict[str, str]:
    """A demo vocabulary row's name in every language, as its columns."""
    return {
        vocabulary.column("name", language): demo_names.name_in(english, language)
        for language in vocabulary.languages()
    }


def _ensure_languages_and_sectors() -> None:
    existing = set(Language.objects.values_list("code", flat=True))
    Language.objects.bulk_create(
        Language(code=code, name=name) for code, name in demo_data.LANGUAGES if code not in existing
    )
    existing = {*Sector.objects.values_list("slug", flat=True)}
    existing |= {*Sector.objects.values_list(ENGLISH_NAME, flat=True)}
    Sector.objects.bulk_create(
        Sector(slug=slugify(name), **_names(name))
        for name in demo_data.SECTORS
        if not {name, slugify(name)} & existing
    )
    _name_in_every_language(Sector, demo_data.SECTORS)


def _ensure_skills() -> None:
    existing = {*SkillCategory.objects.values_list("slug", flat=True)}
    existing |= {*SkillCategory.objects.values_list(ENGLISH_NAME, flat=True)}
    SkillCategory.objects.bulk_create(
        SkillCategory(slug=slug, position=position, **_names(name))
        for position, (slug, name) in enumerate(demo_data.SKILL_CATEGORIES)
        if not {slug, name} & existing
    )
    _name_in_every_language(SkillCategory, [name for _slug, name in demo_data.SKILL_CATEGORIES])
    categories = dict(SkillCategory.objects.values_list(ENGLISH_NAME, "id"))
    category_ids = dict(SkillCategory.objects.values_list("slug", "id"))
    names = dict(demo_data.SKILL_CATEGORIES)
    category_ids = {slug: category_ids.get(slug) or categories[names[slug]] for slug in names}
    existing = {*Skill.objects.values_list("slug", flat=True)}
    existing |= {*Skill.objects.values_list(ENGLISH_NAME, flat=True)}
    Skill.objects.bulk_create(
        Skill(
            slug=slugify(spec.name),
            category_id=category_ids[spec.category],
            synonyms=spec.synonyms,
            esco_uri=spec.esco_uri,
            **_names(spec.name),
        )
        for spec in demo_data.SKILLS
        if not {spec.name, slugify(spec.name)} & existing
    )
    _name_in_every_language(Skill, [spec.name for spec in demo_data.SKILLS])


def _name_in_every_language(model: type[models.Model], names: Iterable[str]) -> None:
    """Our rows made before their names were translated get the names they lack. A name
    someone gave is kept, and so is a name another row already has in that language (names
    are unique per language): that row is read in English there."""
    manager = model._default_manager
    columns = [vocabulary.column("name", language) for language in vocabulary.languages()]
    taken = {
        column: set(manager.exclude(**{column: None}).values_list(column, flat=True))
        for column in columns
    }
    changed = []
    for row in manager.filter(**{f"{ENGLISH_NAME}__in": list(names)}):
        missing = False
        for column, name in _names(getattr(row, ENGLISH_NAME)).items():
            if not getattr(row, column) and name not in taken[column]:
                setattr(row, column, name)
                taken[column].add(name)
                missing = True
        if missing:
            changed.append(row)
    if changed:
        manager.bulk_update(changed, columns)


def _ids_by_our_names(model: type[models.Model], names: Iterable[str]) -> dict[str, int]:
    """Ids of our rows by our names, whether a row was found by its name or by its slug."""
    by_name = dict(model._default_manager.values_list(ENGLISH_NAME, "id"))
    by_slug = dict(model._default_manager.values_list("slug", "id"))
    return {name: by_name.get(name) or by_slug[slugify(name)] for name in names}


# Weighted tables ------------------------------------------------------------------------------
def weighted_table(pairs: Iterable[tuple[T, int]]) -> tuple[T, ...]:
    """Each value repeated by its integer weight: a weighted pick is then a single index, which
    matters when a million people are drawn."""
    return tuple(value for value, weight in pairs for _ in range(weight))


def pick(rnd: Rnd, table: Sequence[T]) -> T:
    return table[int(rnd() * len(table))]


_PUBLIC, _MEMBERS, _HIDDEN = (
    Visibility.PUBLIC.value,
    Visibility.MEMBERS.value,
    Visibility.HIDDEN.value,
)
LEVELS = weighted_table(zip((1, 2, 3, 4), LEVEL_WEIGHTS, strict=True))
EMAIL_VISIBILITY = weighted_table(((_PUBLIC, 4), (_MEMBERS, 13), (_HIDDEN, 3)))
PHONE_VISIBILITY = weighted_table(((_PUBLIC, 1), (_MEMBERS, 7), (_HIDDEN, 12)))
CHAT_VISIBILITY = weighted_table(((_PUBLIC, 5), (_MEMBERS, 12), (_HIDDEN, 3)))
WEBSITE_VISIBILITY = weighted_table(((_PUBLIC, 16), (_MEMBERS, 3), (_HIDDEN, 1)))
PROFILE_VISIBILITY = weighted_table(
    ((Person.ProfileVisibility.PUBLIC.value, 9), (Person.ProfileVisibility.MEMBERS.value, 11))
)
# How people choose to hear of opportunities that fit them: most as each opens (the default),
# some in a daily or weekly digest, a few never.
OPPORTUNITY_NOTIFICATIONS = weighted_table(
    (
        (Person.Notify.IMMEDIATELY.value, 14),
        (Person.Notify.DAILY.value, 2),
        (Person.Notify.WEEKLY.value, 2),
        (Person.Notify.NEVER.value, 2),
    )
)
# Hours a week for network projects, beside the co-op's own work: people active in the network
# give a working day or two; the others a few hours, some none at all.
ACTIVE_HOURS = weighted_table(((4, 1), (6, 2), (8, 4), (10, 3), (12, 2), (16, 2), (20, 2)))
PASSIVE_HOURS = weighted_table(((0, 2), (2, 3), (4, 3), (6, 3), (8, 2)))
# The local working day: (start, hours). Most work office hours, starting 7:00 to 10:00; some
# part-time, some in the evening (network work after the co-op's own day).
WORKDAY_STARTS = weighted_table(
    (
        (at_hour(7), 1),
        (at_hour(8), 4),
        (at_hour(8, 30), 2),
        (at_hour(9), 6),
        (at_hour(9, 30), 2),
        (at_hour(10), 2),
    )
)
WORKDAY_HOURS = weighted_table(((4, 2), (6, 3), (7, 3), (8, 8), (9, 2)))
EVENING_SHARE = 0.06
OPT_OUT_SHARE = 0.08  # people who asked not to be proposed for teams
ACTIVE, PASSIVE = Person.Participation.ACTIVE.value, Person.Participation.PASSIVE.value


# People ---------------------------------------------------------------------------------------
def _family_name(family: str, female: bool) -> str:
    masculine, _slash, feminine = family.partition("/")
    return feminine if female and feminine else masculine


@cache
def handle(name: str) -> str:
    """The part of a person's invented addresses before the @."""
    return slugify(name).replace("-", ".") or "person"


@cache
def _country_tables(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(first languages weighted, cities) of a country."""
    country = COUNTRY_BY_CODE[code]
    return weighted_table(country.native), tuple(country.cities)


def person_skills(rng: random.Random, ref: Reference, profile: str, count: int) -> list[SkillRow]:
    """`count` distinct (skill id, level, years), drawn mostly from the co-op's line of work."""
    ids, cum_weights = ref.profile_skills[profile]
    chosen = dict.fromkeys(rng.choices(ids, cum_weights=cum_weights, k=count + 2))
    while len(chosen) < count:
        chosen.update(dict.fromkeys(rng.choices(ids, cum_weights=cum_weights, k=count)))
    rnd, result = rng.random, []
    for skill_id in list(chosen)[:count]:
        level = pick(rnd, LEVELS)
        low, high = YEARS_BY_LEVEL[level]
        result.append((skill_id, level, low + int(rnd() * (high - low + 1))))
    return result


def person_languages(
    rng: random.Random, ref: Reference, country: demo_data.Country
) -> list[LanguageRow]:
    """One to three (language id, proficiency): a first language, then what else people here
    commonly speak (English often)."""
    rnd = rng.random
    spoken = {pick(rnd, _country_tables(country.code)[0]): 4}
    for code, share in country.extra:
        if len(spoken) == 3:
            break
        if code not in spoken and rnd() < share:
            spoken[code] = 3 + int(rnd() * 2) if share >= 1 else pick(rnd, (1, 1, 2, 2, 3))
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
) -> dict[str, Any]:
    """The columns of one invented person of a co-op in `city`."""
    rnd = rng.random
    female = rnd() < 0.5
    first = pick(rnd, country.female if female else country.male)
    name = f"{first} {_family_name(pick(rnd, country.family), female)}"
    tz = country.cities[city if rnd() < 0.85 else pick(rnd, _country_tables(country.code)[1])]
    active = rnd() < active_share
    at = handle(name) if number is None else f"{handle(name)}.{number}"
    bio = _bio(rnd, profile=profile, coop_name=coop_name, city=city, today=today)
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
        "profile_visibility": pick(rnd, PROFILE_VISIBILITY),
        "contact_email": f"{at}@{coop_slug}.example",
        "contact_email_visibility": pick(rnd, EMAIL_VISIBILITY),
        "phone": phone,
        "phone_visibility": pick(rnd, PHONE_VISIBILITY),
        "chat": f"@{at}:{coop_slug}.example" if rnd() < 0.6 else "",
        "chat_visibility": pick(rnd, CHAT_VISIBILITY),
        "website": f"https://{at}.example" if rnd() < 0.15 else "",
        "website_visibility": pick(rnd, WEBSITE_VISIBILITY),
        "email_choices": _email_choices(f"{coop_slug}:{at}"),
    }


def _bio(rnd: Rnd, *, profile: str, coop_name: str, city: str, today: date) -> str:
    """Nine people in ten write a line or two about their work."""
    if rnd() >= 0.9:
        return ""
    role = demo_data.PROFILES[profile].role
    opening = pick(rnd, demo_data.BIO_OPENINGS).format(
        role=role[0].upper() + role[1:],
        role_lower=role,
        coop=coop_name.split(" ")[-1] if len(coop_name) > 40 else coop_name,
        city=city,
        since=2008 + int(rnd() * (today.year - 2007)),
    )
    return f"{opening} {pick(rnd, demo_data.BIO_CLOSINGS)}".rstrip()


def _email_choices(key: str) -> dict[str, str]:
    # Drawn from its own hash, not from `rng`: the people's other columns stay as they were.
    choice = OPPORTUNITY_NOTIFICATIONS[zlib.crc32(key.encode()) % len(OPPORTUNITY_NOTIFICATIONS)]
    if choice == Person.Notify.IMMEDIATELY:
        return {}  # the default, as for anyone who never chose
    return {Person.OPPORTUNITY_EMAILS: choice}


def work_fields(rnd: Rnd, *, active: bool, today: date) -> dict[str, Any]:
    """What team matching reads about a person: hours, availability, working day, consent."""
    if rnd() < EVENING_SHARE:
        start, hours = at_hour(18), 3 + int(rnd() * 2)
    else:
        start, hours = pick(rnd, WORKDAY_STARTS), pick(rnd, WORKDAY_HOURS)
    end = (datetime.combine(today, start) + timedelta(hours=hours)).time()
    busy_for_now = rnd() < (0.2 if active else 0.1)
    return {
        "hours_per_week": pick(rnd, ACTIVE_HOURS if active else PASSIVE_HOURS),
        "available_from": today + timedelta(days=7 + int(rnd() * 90)) if busy_for_now else None,
        "workday_start": start,
        "workday_end": end,
        "open_to_matching": rnd() >= OPT_OUT_SHARE,
    }


def with_skills_in_bio(
    fields: dict[str, Any], skills: list[SkillRow], ref: Reference, rng: random.Random
) -> None:
    """Most people with a bio and three skills or more name them in it."""
    if fields["bio"] and len(skills) >= 3 and rng.random() < 0.7:
        names = [ref.skill_names[skill_id] for skill_id, _level, _years in skills]
        sentence = rng.choice(demo_data.BIO_SKILLS).format(
            skill1=names[0], skill2=names[1], skill3=names[2]
        )
        fields["bio"] = f"{fields['bio']} {sentence}"


# Co-ops ---------------------------------------------------------------------------------------
def coop_bases() -> list[CoopBase]:
    """The 100 demo co-ops as (country, name, city, kind)."""
    return [
        (country, coop[0], coop[1], coop[2] if len(coop) > 2 else Organisation.Kind.WORKER_COOP)
        for country in demo_data.COUNTRIES
        for coop in country.coops
    ]


def founded_year(rng: random.Random) -> int:
    low, high = rng.choices(((1978, 1999), (2000, 2012), (2013, 2023)), (10, 40, 50))[0]
    return rng.randint(low, high)


def org_languages(rng: random.Random, countries: Iterable[demo_data.Country]) -> list[str]:
    """The languages a co-op works in: its countries' main ones, and English often."""
    codes = [
        code
        for country in countries
        for code, weight in country.native
        if weight >= 10 or len(country.native) == 1
    ]
    if "en" not in codes and rng.random() < 0.75:
        codes.append("en")
    return list(dict.fromkeys(codes))
