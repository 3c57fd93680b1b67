"""The generated network for benchmarks: `manage.py seed_demo --organisations N --people M`.

Organisations are named after the demo co-ops ("<demo co-op name> <n>", slug "bulk-<n>"); people
copy invented templates and get their own number, co-op and contact details. It tops up to the
numbers given: organisations whose slug already exists are skipped, and only as many people are
added as are missing from the generated organisations, so running it again with the same numbers
creates nothing. Each batch is committed on its own, so an interrupted run resumes where it
stopped. No demo accounts, and none of the other apps' demo data.

Everything is drawn from the same fixed seed as the demo network, so the same command builds the
same network.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from members import demo_data
from members.demo_insert import Link, analyze, insert_people, insert_rows, link_m2m
from members.demo_people import (
    PROFILE_KEYS,
    SEED,
    CoopBase,
    PersonRow,
    Reference,
    at_noon,
    coop_bases,
    ensure_reference_data,
    founded_year,
    handle,
    org_languages,
    person_fields,
    person_languages,
    person_skills,
    pick,
)
from members.models import Organisation, Person
from members.search import refresh_search_vectors
from patio.dates import network_today

T = TypeVar("T")

BULK_SLUG_PREFIX = "bulk-"
VECTOR_BATCH = 50_000
VECTOR_WORKERS = min(4, os.cpu_count() or 2)
BULK_TEMPLATES = 64
PEOPLE, ORGANISATIONS = "people", "organisations"
STATUSES = (
    Organisation.Status.MEMBER,
    Organisation.Status.APPLICANT,
    Organisation.Status.SUSPENDED,
    Organisation.Status.LEFT,
)
# (organisation id, slug, (index of its demo co-op, line of work))
Target = tuple[int, str, tuple[int, str]]
# The columns of one organisation, with what its links are drawn from.
PlannedOrg = tuple[dict[str, Any], demo_data.Country, demo_data.Profile]


def seed(
    *,
    organisations: int,
    people: int,
    batch_size: int,
    say: Callable[[str], None],
    show_progress: bool,
) -> None:
    """Top the generated network up to `organisations` and `people`."""
    BulkSeeder(batch_size=batch_size, say=say, show_progress=show_progress).seed(
        organisations, people
    )


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _bulk_profile(n: int) -> str:
    return PROFILE_KEYS[(n * 7) % len(PROFILE_KEYS)]


class BulkSeeder:
    def __init__(self, *, batch_size: int, say: Callable[[str], None], show_progress: bool) -> None:
        self.batch_size = batch_size
        self.say = say
        self.show_progress = show_progress
        self.skip_fk_checks = False
        # Work in the database can overlap ours only on other connections, which cannot see
        # an enclosing transaction's rows (as in tests): then everything runs in line.
        self.overlap = settings.USES_POSTGRES and not connection.in_atomic_block

    def seed(self, n_orgs: int, n_people: int) -> None:
        ref = ensure_reference_data()
        if settings.USES_POSTGRES and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                self.skip_fk_checks = cursor.fetchone()[0]
        new_orgs = self.organisations(n_orgs, ref)
        new_people = self.people(n_people, ref)
        if new_orgs or new_people:
            # Every organisation's vector lists its people's skills: refreshed once all are in.
            analyze()
            self.refresh_organisation_vectors()
            analyze(vacuum=True)
        self.say(
            _("Generated network: %(orgs)d organisations and %(people)d people created now.")
            % {"orgs": new_orgs, "people": new_people}
        )

    def progress(self, total: int, description: str) -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=description,
            unit=" rows",
            file=sys.stderr,
            disable=not self.show_progress or total == 0,
            dynamic_ncols=True,
        )

    @contextmanager
    def batch(self) -> Iterator[None]:
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

    # Organisations ----------------------------------------------------------------------------
    def organisations(self, n_orgs: int, ref: Reference) -> int:
        """Add the generated organisations 1 to `n_orgs` that are missing; returns how many."""
        bases = coop_bases()
        missing = _missing_organisations(n_orgs)
        federation_ids = dict(
            Organisation.objects.filter(
                slug__startswith=BULK_SLUG_PREFIX, kind=Organisation.Kind.FEDERATION
            ).values_list("slug", "id")
        )
        now = timezone.now()
        with self.progress(len(missing), _("Organisations")) as bar:
            for chunk in _chunks(missing, self.batch_size):
                rng = random.Random(f"{SEED}:bulk-orgs:{chunk[0]}")
                orgs = [
                    _planned_organisation(rng, n, bases[(n - 1) % len(bases)], now) for n in chunk
                ]
                with self.batch():
                    org_ids = insert_rows(Organisation, [org for org, _c, _p in orgs])
                    for (org, _c, _p), org_id in zip(orgs, org_ids, strict=True):
                        if org["kind"] == Organisation.Kind.FEDERATION:
                            federation_ids[org["slug"]] = org_id
                    feds = list(federation_ids.values())
                    link_m2m(_organisation_links(rng, orgs, org_ids, feds, ref))
                bar.update(len(chunk))
        return len(missing)

    # People -----------------------------------------------------------------------------------
    def people(self, n_people: int, ref: Reference) -> int:
        """Add people to the generated organisations until there are `n_people`; returns how
        many were added. A person's search vector needs only their own rows and their co-op's
        name, so it is computed on another connection while the next batch is generated."""
        start = Person.objects.filter(organisation__slug__startswith=BULK_SLUG_PREFIX).count()
        missing = max(0, n_people - start)
        if not missing:
            return 0
        targets = _generated_organisations()
        templates = _Templates(ref)
        pool = ThreadPoolExecutor(max_workers=1) if self.overlap else None
        pending: list[Future[int]] = []
        new_ids: list[int] = []
        try:
            with self.progress(missing, _("People")) as bar:
                for batch, chunk_start in enumerate(range(start, n_people, self.batch_size), 1):
                    chunk_end = min(n_people, chunk_start + self.batch_size)
                    rows = _people_rows(range(chunk_start, chunk_end), targets, templates)
                    with self.batch():
                        ids = insert_people(rows)
                    if batch & (batch - 1) == 0:  # whenever the load has doubled
                        analyze()
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

    def refresh_organisation_vectors(self) -> None:
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


def _missing_organisations(n_orgs: int) -> list[int]:
    """The numbers up to `n_orgs` with no generated organisation yet, federations first, so
    the co-ops of every batch can join one."""
    existing = {
        int(suffix)
        for slug in Organisation.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
        .values_list("slug", flat=True)
        .iterator(chunk_size=10_000)
        if (suffix := slug.removeprefix(BULK_SLUG_PREFIX)).isdigit()
    }
    return sorted(
        (n for n in range(1, n_orgs + 1) if n not in existing), key=lambda n: n % 500 != 1
    )


def _planned_organisation(rng: random.Random, n: int, base: CoopBase, now: datetime) -> PlannedOrg:
    """The columns of generated organisation `n`: every 500th a federation, some partners."""
    today = now.date()
    country, name, city, kind = base
    if n % 500 == 1:
        kind = Organisation.Kind.FEDERATION
    elif n % 700 == 2:
        kind = Organisation.Kind.PARTNER
    profile = demo_data.PROFILES[_bulk_profile(n)]
    status = rng.choices(STATUSES, (90, 4, 3, 3))[0]
    founded = founded_year(rng)
    joined = None
    if status != Organisation.Status.APPLICANT:
        joined = today - timedelta(days=rng.randint(60, 3000))
    org = {
        "name": f"{name} {n}",
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
        "status_changed_at": at_noon(joined) if joined else now,
    }
    return org, country, profile


def _organisation_links(
    rng: random.Random,
    orgs: list[PlannedOrg],
    org_ids: list[int],
    feds: list[int],
    ref: Reference,
) -> list[Link]:
    """Sectors and languages for each new organisation, and up to two federations to join."""
    sector_ids = list(ref.sector_ids.values())
    links: list[Link] = []
    for (org, country, profile), org_id in zip(orgs, org_ids, strict=True):
        sectors = [ref.sector_ids[s] for s in profile.sectors[:2]]
        if rng.random() < 0.3:
            sectors = list(dict.fromkeys([*sectors, rng.choice(sector_ids)]))
        languages = [ref.language_ids[c] for c in org_languages(rng, [country])]
        links.append((org_id, "sectors", sectors))
        links.append((org_id, "languages", languages))
        if feds and org["kind"] != Organisation.Kind.FEDERATION:
            joins = rng.choices((0, 1, 2), (20, 60, 20))[0]
            links.append((org_id, "federations", rng.sample(feds, min(joins, len(feds)))))
    return links


def _generated_organisations() -> list[Target]:
    bases = len(coop_bases())
    targets = []
    for pk, slug in (
        Organisation.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
        .values_list("id", "slug")
        .iterator(chunk_size=10_000)
    ):
        n = int(slug.removeprefix(BULK_SLUG_PREFIX))
        targets.append((pk, slug, ((n - 1) % bases, _bulk_profile(n))))
    if not targets:
        raise CommandError(_("There are no generated organisations to put people in."))
    return targets


class _Templates:
    """A few dozen invented people for each (demo co-op, line of work): each generated person
    copies one and gets their own number, co-op and contact details. Drawing every field afresh
    for a million people would cost minutes."""

    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        self.bases = coop_bases()
        self.today = network_today()
        self.made: dict[tuple[int, str], list[PersonRow]] = {}

    def like(self, kind: tuple[int, str]) -> list[PersonRow]:
        if kind not in self.made:
            country, base, city, _kind = self.bases[kind[0]]
            rng = random.Random(f"{SEED}:bulk-template:{kind[0]}:{kind[1]}")
            self.made[kind] = [
                (
                    person_fields(
                        rng,
                        country=country,
                        city=city,
                        coop_name=base,
                        coop_slug="",
                        profile=kind[1],
                        active_share=0.3,
                        today=self.today,
                    ),
                    person_skills(rng, self.ref, kind[1], 2 + int(rng.random() * 3)),
                    person_languages(rng, self.ref, country),
                )
                for _i in range(BULK_TEMPLATES)
            ]
        return self.made[kind]


def _people_rows(numbers: range, targets: list[Target], templates: _Templates) -> list[PersonRow]:
    """Generated people `numbers`, each in a generated organisation drawn at random."""
    rng = random.Random(f"{SEED}:bulk-people:{numbers.start}")
    rnd, rows = rng.random, []
    for number in numbers:
        pk, slug, kind = targets[int(rnd() * len(targets))]
        like, skills, languages = pick(rnd, templates.like(kind))
        fields = like.copy()
        at = f"{handle(fields['display_name'])}.{number}"
        fields["organisation_id"] = pk
        fields["contact_email"] = f"{at}@{slug}.example"
        if fields["chat"]:
            fields["chat"] = f"@{at}:{slug}.example"
        if fields["website"]:
            fields["website"] = f"https://{at}.example"
        rows.append((fields, skills, languages))
    return rows


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
