"""Reads shared by the directory pages and the API."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language
from django_countries import countries

from members.models import (
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    SkillCategory,
)
from members.permissions import is_member
from members.vocabulary import by_name, localized, name_columns
from patio.db import fold

if TYPE_CHECKING:
    from accounts.models import AnyUser

# The network at a glance is counted off the request (members.glance): it is fresh for
# GLANCE_CACHE_SECONDS, or until the directory changes, and then served while a task recounts.
GLANCE_CACHE_SECONDS = 300
GLANCE_KEEP_SECONDS = 24 * 3600
# Its rows carry a name per language since the vocabularies were translated: a new key, so an
# older glance left in the cache is never read.
GLANCE_KEY = "members:glance:names"
GLANCE_FRESH_KEY = "members:glance:fresh"
DIRECTORY_VERSION_KEY = "members:directory-version"


def directory_version() -> str:
    """A token that changes whenever the directory does: part of every cached fragment's key.

    Bumped by members.signals on any write to co-ops and their vocabularies, so a cached
    fragment is never stale; when the cache loses the token, everything is simply rebuilt."""
    version: str | None = cache.get(DIRECTORY_VERSION_KEY)
    if version is None:
        version = directory_changed()
    return version


def directory_changed() -> str:
    version = uuid.uuid4().hex[:12]
    cache.set(DIRECTORY_VERSION_KEY, version, None)
    cache.delete_many(["members:countries", GLANCE_FRESH_KEY])
    return version


# A row's stored search vector is read by the database alone: it is a TOAST value of kilobytes
# (every language's skill names), which a list would decompress, send and parse for nothing.
UNREAD = ("search_vector",)


def organisations_visible_to(user: AnyUser | None) -> QuerySet[Organisation]:
    queryset = Organisation.objects.defer(*UNREAD)
    if not is_member(user):
        queryset = queryset.filter(status=Organisation.Status.MEMBER)
    return queryset


def people_visible_to(user: AnyUser | None) -> QuerySet[Person]:
    """The people a reader may see listed or open. Erased people's tombstones are for no one:
    they stay only as the names on the records that point at them."""
    queryset = Person.objects.defer(*UNREAD).filter(erased_at__isnull=True)
    if not is_member(user):
        queryset = queryset.filter(
            profile_visibility=Person.ProfileVisibility.PUBLIC,
            organisation__status=Organisation.Status.MEMBER,
        )
    return queryset


def organisation_tombstones() -> QuerySet[Organisation]:
    """Co-ops that were members and left: everyone reads what stays of them (410 Gone)."""
    return Organisation.objects.filter(
        status=Organisation.Status.LEFT, joined_on__isnull=False
    ).order_by("name", "id")


def public_organisations() -> QuerySet[Organisation]:
    """What a visitor may open, for the sitemap: the network's current members."""
    return organisations_visible_to(None).order_by("id")


def federations_visible_to(user: AnyUser | None) -> QuerySet[Organisation]:
    """The federations a reader may filter the directory by: those they can see, read only as far
    as a choice needs (its slug and name)."""
    return (
        organisations_visible_to(user)
        .filter(kind=Organisation.Kind.FEDERATION)
        .only("id", "slug", "name")
        .order_by("name", "id")
    )


def reader_tier(user: AnyUser | None) -> str:
    """What a reader may see of the directory, as part of a cache key: members see more."""
    return "members" if is_member(user) else "public"


# A co-op field puts every co-op's name in its page, for the browser's own suggestions, while
# there are this many or fewer; beyond, it asks for them as the person types (coop_suggestions).
DATALIST_MAX = 500


def coop_names(user: AnyUser | None) -> list[str] | None:
    """The names of the co-ops a reader may see, for a co-op field's suggestions, or None when
    there are more than DATALIST_MAX (at 100,000 co-ops they were 5 MB of every people page).
    Cached per directory version: any write to a co-op changes it."""
    key = f"members:coop-names:{directory_version()}:{reader_tier(user)}"
    cached: dict[str, list[str] | None] | None = cache.get(key)
    if cached is None:
        names = list(
            organisations_visible_to(user)
            .order_by("name")
            .values_list("name", flat=True)[: DATALIST_MAX + 1]
        )
        cached = {"names": names if len(names) <= DATALIST_MAX else None}
        cache.set(key, cached, GLANCE_CACHE_SECONDS)
    return cached["names"]


SUGGESTIONS = 20


def coop_suggestions(user: AnyUser | None, text: str) -> list[str]:
    """Up to SUGGESTIONS names of co-ops the reader may see, close to what they typed (two
    letters at least): by trigram word similarity on PostgreSQL, as the directory's search
    finds a name; by a folded substring on SQLite."""
    text = text.strip()[:200]
    if len(text) < 2:
        return []
    visible = organisations_visible_to(user)
    rows: QuerySet[Any]
    if settings.USES_POSTGRES:
        rows = (
            visible.filter(name__trigram_word_similar=text)
            .annotate(similarity=TrigramWordSimilarity(text, "name"))
            .order_by("-similarity", "name", "id")
        )
    else:
        rows = visible.filter(name__folded__icontains=fold(text)).order_by("name", "id")
    return list(rows.values_list("name", flat=True)[:SUGGESTIONS])


def cached_count(queryset: QuerySet[Any], key: object, *, version: str | None = None) -> int:
    """The number of rows of a directory query, cached per directory version and `key` (the
    reader's tier and filters): exact, since any write to the directory changes the version,
    and counting a filtered million rows is most of a cold page's time."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    cache_key = f"members:count:{version or directory_version()}:{digest}"
    count: int | None = cache.get(cache_key)
    if count is None:
        count = queryset.count()
        cache.set(cache_key, count, GLANCE_CACHE_SECONDS)
    return count


def federation_members(user: AnyUser | None, federation: Organisation) -> QuerySet[Organisation]:
    """The co-ops of a federation that the reader may see, by name."""
    return organisations_visible_to(user).filter(federations=federation).order_by("name", "id")


def _sectors() -> Prefetch[str, QuerySet[Sector], str]:
    """A co-op's sectors, in the order their names are read in the reader's language."""
    return Prefetch("sectors", queryset=by_name(Sector.objects.all()))


def organisation_list(user: AnyUser | None) -> QuerySet[Organisation]:
    return organisations_visible_to(user).prefetch_related(_sectors()).order_by("name", "id")


def organisation_download(
    user: AnyUser | None, organisations: QuerySet[Organisation]
) -> QuerySet[Organisation]:
    """The directory's filtered co-ops (`organisation_list` through its FilterSet) with what a
    download adds to the page's cards: working languages and the federations the reader sees.
    Rows and order stay the page's."""
    return organisations.prefetch_related(
        Prefetch("languages", queryset=Language.objects.order_by("code")),
        Prefetch("federations", queryset=organisations_visible_to(user).order_by("slug")),
    )


def with_details(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What one organisation's page and API representation read, prefetched (webhook events
    read an organisation through it too)."""
    return organisations.prefetch_related(_sectors(), "languages", "federations")


def organisation_detail(user: AnyUser | None) -> QuerySet[Organisation]:
    return with_details(organisations_visible_to(user))


def organisation_people(user: AnyUser | None, organisation: Organisation) -> QuerySet[Person]:
    return (
        people_visible_to(user)
        .filter(organisation=organisation)
        .prefetch_related(
            Prefetch(
                "person_skills",
                queryset=PersonSkill.objects.select_related("skill").order_by(
                    "-level", localized("skill__name"), "id"
                ),
            )
        )
        .order_by("display_name", "id")
    )


def organisation_skill_summary(
    user: AnyUser | None, organisation: Organisation
) -> list[Mapping[str, Any]]:
    """Aggregated skills of a co-op's people: how many people have each, and how many are experts.

    Only the people the reader may see are counted: a members-only profile must not show up,
    even as a number, to a visitor. Names are the reader's language's, else English."""
    return list(
        PersonSkill.objects.filter(
            person__in=people_visible_to(user).filter(organisation=organisation)
        )
        .values(
            "skill__slug",
            skill_name=localized("skill__name"),
            category_name=localized("skill__category__name"),
        )
        .annotate(people=Count("id"), experts=Count("id", filter=Q(level__gte=3)))
        .order_by("-people", "skill_name")[:30]
    )


def person_list(user: AnyUser | None) -> QuerySet[Person]:
    return (
        people_visible_to(user)
        .select_related("organisation")
        .defer(*(f"organisation__{field}" for field in UNREAD))
        .prefetch_related(
            Prefetch(
                "person_skills",
                queryset=PersonSkill.objects.select_related("skill").order_by(
                    "-level", localized("skill__name"), "id"
                ),
            ),
            Prefetch(
                "person_languages",
                queryset=PersonLanguage.objects.select_related("language").order_by("-proficiency"),
            ),
        )
        .order_by("display_name", "id")
    )


# The people of the network: everyone listed by a current member co-op. The home page counts
# them and the people directory lists them, so the two numbers agree. People of an applicant,
# suspended or departed co-op stay on that co-op's page and their own, for those who may see them.
IN_NETWORK = Q(organisation__status=Organisation.Status.MEMBER)


def network_people() -> QuerySet[Person]:
    return Person.objects.filter(IN_NETWORK)


def person_directory(user: AnyUser | None) -> QuerySet[Person]:
    """The people directory (page and API list): the network's people the reader may see.

    The one selector for both doors: a visitor gets the public profiles of member co-ops on
    `/people/` exactly as on `/api/v1/people/`."""
    return person_list(user).filter(IN_NETWORK)


def person_detail(user: AnyUser | None) -> QuerySet[Person]:
    return person_list(user).select_related("user")


def network_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries the network has organisations in, for filter choices.

    Offering these few instead of all 250 keeps the choice useful and the page fast; the codes
    are cached, the names follow the reader's language."""
    codes = cache.get("members:countries")
    if codes is None:
        codes = sorted(
            set(Organisation.objects.order_by().values_list("country", flat=True).distinct())
        )
        cache.set("members:countries", codes, GLANCE_CACHE_SECONDS)
    return list(_country_choices(tuple(codes), get_language()))


def all_countries() -> list[tuple[str, str]]:
    """(code, name) of every country, for the API's filters (a partner may ask for any): the
    names translated once per language, not on every request."""
    return list(_country_choices(tuple(countries.countries), get_language()))


@functools.lru_cache(maxsize=64)
def _country_choices(codes: tuple[str, ...], language: str | None) -> tuple[tuple[str, str], ...]:
    """The countries' names in one language, sorted: the same for every request in it, and
    translating 250 names was a tenth of a cold directory page."""
    return tuple(sorted(((code, str(countries.name(code))) for code in codes), key=lambda c: c[1]))


def network_glance_cached() -> tuple[dict[str, Any] | None, bool]:
    """The network at a glance as last counted, if any, and whether it is still fresh."""
    found = cache.get_many([GLANCE_KEY, GLANCE_FRESH_KEY])
    return found.get(GLANCE_KEY), GLANCE_FRESH_KEY in found


def network_glance_count() -> dict[str, Any]:
    """Counts and chart data for the home page, counted now (seconds at a million people: see
    members.glance for who calls it), and kept in the cache."""
    members = Organisation.objects.filter(status=Organisation.Status.MEMBER)
    by_country = list(members.values("country").annotate(n=Count("id")).order_by("-n", "country"))
    people = network_people()
    columns = name_columns()
    # People per category, counted over the people's skills joined to the network's people: a
    # count filtered by `IN (people)` on the categories' outer join ran the subquery once per
    # skill row, for minutes at a million people.
    per_category = dict(
        PersonSkill.objects.filter(person__in=people)
        .values_list("skill__category_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    rows = [
        {**row, "n": per_category.get(row.pop("pk"), 0)}
        for row in SkillCategory.objects.values("pk", "slug", *columns.values()).order_by(
            "position", "name_en"
        )
    ]
    # Every language's name is kept, so that one cached glance serves every reader.
    people_by_category = [
        {
            "slug": row["slug"],
            "n": row["n"],
            "names": {language: row[name] for language, name in columns.items()},
        }
        for row in rows
    ]
    glance = {
        "organisations": members.count(),
        "people": people.count(),
        "countries": len(by_country),
        "active": people.filter(participation=Person.Participation.ACTIVE).count(),
        "by_country": by_country,
        "people_by_category": people_by_category,
    }
    cache.set_many({GLANCE_KEY: glance}, GLANCE_KEEP_SECONDS)
    cache.set(GLANCE_FRESH_KEY, True, GLANCE_CACHE_SECONDS)
    return glance
