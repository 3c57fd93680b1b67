"""The demo catalogue, added by `manage.py seed_demo` after the directory: entries through the
catalogue's own services (so licences are checked and what they derive is computed), with
providers and users drawn from the demo co-ops. Idempotent: an entry is known by its name."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from catalogue import services
from catalogue.demo_data import (
    CONTACTS,
    ENTRIES,
    FEATURES,
    FUNCTIONS,
    PROGRAMMING_LANGUAGES,
    PROVIDERS,
    SUPPORT_UNTIL,
    USES,
)
from catalogue.models import (
    FunctionCategory,
    MaintenanceContact,
    ProgrammingLanguage,
    Provider,
    Software,
    SoftwareUse,
)
from catalogue.search import refresh_search_vectors
from members.models import Language, Organisation, Person


def _vocabulary() -> None:
    for position, (slug, name, names) in enumerate(FUNCTIONS):
        translated = {f"name_{code}": value for code, value in names.items()}
        FunctionCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name, "position": position, **translated}
        )
    for name in PROGRAMMING_LANGUAGES:
        ProgrammingLanguage.objects.get_or_create(slug=slugify(name), defaults={"name": name})


def _day(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    _vocabulary()
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if admin is None:
        say("Catalogue: no network admin to add entries; skipped.")
        return
    coops = {o.slug: o for o in Organisation.objects.filter(status=Organisation.Status.MEMBER)}
    functions = {f.slug: f for f in FunctionCategory.objects.all()}
    languages = {p.name: p for p in ProgrammingLanguage.objects.all()}
    ui = {lang.code: lang for lang in Language.objects.all()}
    existing = set(Software.objects.values_list("name", flat=True))
    added: list[Software] = []
    for entry in ENTRIES:
        if entry.name in existing:
            continue
        data = {
            "name": entry.name,
            "summary": entry.summary,
            "description": entry.description,
            "features": list(FEATURES.get(entry.name, ())),
            "licence": entry.licence,
            "website_url": entry.website,
            "source_url": entry.source,
            "self_hosted": "self_hosted" in entry.hosting,
            "saas": "saas" in entry.hosting,
            "maturity": entry.maturity,
            "last_version": entry.version,
            "last_release": _day(entry.released),
            "replaces": entry.replaces,
            "status": entry.status,
        }
        m2m = {
            "categories": [functions[slug] for slug in entry.functions],
            "programming_languages": [languages[n] for n in entry.languages if n in languages],
            "ui_languages": [ui[code] for code in entry.ui if code in ui],
            "makers": [coops[slug] for slug in entry.makers if slug in coops],
        }
        added.append(services.software_create(actor=admin, data=data, m2m=m2m))
    by_name = {s.name: s for s in Software.objects.all()}
    for software in added:
        spec = next(e for e in ENTRIES if e.name == software.name)
        similar = [by_name[name] for name in spec.similar if name in by_name]
        if similar:
            services.software_update(
                actor=admin, software=software, data={}, m2m={"similar": similar}
            )
    # Who stands behind each entry is topped up on every demo entry, not only the new ones, so a
    # demo database seeded before a kind of row existed gains it (and nothing is made twice).
    demo = [by_name[entry.name] for entry in ENTRIES if entry.name in by_name]
    topped = _people_behind(admin, demo, coops)
    # Maker names went into the vectors as the entries were made; nothing else changes them.
    refresh_search_vectors(software_ids=[s.pk for s in added])
    say(
        f"Catalogue: {len(added)} entries added ({len(existing)} already there); "
        f"{topped} providers, users and contacts added."
    )


def _people_behind(admin: User, entries: list[Software], coops: dict[str, Organisation]) -> int:
    """The demo's providers, users and maintenance contacts that are not there yet."""
    ids = [software.pk for software in entries]
    providing = set(
        Provider.objects.filter(software__in=ids).values_list("software", "organisation")
    )
    using = set(
        SoftwareUse.objects.filter(software__in=ids).values_list("software", "organisation")
    )
    contacts = set(
        MaintenanceContact.objects.filter(software__in=ids).values_list("software", flat=True)
    )
    added = 0
    for software in entries:
        for slug, offered, countries, low, high, currency, unit in PROVIDERS.get(software.name, ()):
            if slug in coops and (software.pk, coops[slug].pk) not in providing:
                services.provider_save(
                    actor=admin,
                    software=software,
                    organisation=coops[slug],
                    data={
                        "services": list(offered),
                        "countries": list(countries),
                        "rate_min": Decimal(low),
                        "rate_max": Decimal(high),
                        "currency": currency,
                        "rate_unit": unit,
                        "support_until": _day(SUPPORT_UNTIL.get((software.name, slug), "")),
                    },
                )
                added += 1
        for slug, use_case, rating in USES.get(software.name, ()):
            if slug in coops and (software.pk, coops[slug].pk) not in using:
                services.use_save(
                    actor=admin,
                    software=software,
                    organisation=coops[slug],
                    data={"use_case": use_case, "rating": rating},
                )
                added += 1
        if software.pk in contacts:
            continue  # contacts are people's own: a withdrawn one is not named again
        for slug in CONTACTS.get(software.name, ()):
            person = (
                Person.objects.filter(
                    organisation__slug=slug,
                    erased_at__isnull=True,
                    profile_visibility=Person.ProfileVisibility.PUBLIC,
                )
                .order_by("display_name", "id")
                .first()
            )
            if person is not None:
                # The demo's admin records the agreement these people gave.
                services.contact_add(actor=admin, software=software, person=person)
                added += 1
    return added
