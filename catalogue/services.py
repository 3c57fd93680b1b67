"""Every write to the technology catalogue: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from catalogue import licences, permissions, publiccode
from catalogue.models import (
    FEATURE_MAX,
    FEATURES_MAX,
    FunctionCategory,
    MaintenanceContact,
    Provider,
    Service,
    Software,
    SoftwareUse,
)
from catalogue.search import refresh_search_vectors
from members.models import Language, Organisation, Person
from members.permissions import is_network_admin, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser

# What a person writes about an entry; the pages' form and the API's serializer use these lists.
SOFTWARE_FIELDS = (
    "name",
    "summary",
    "description",
    "features",
    "licence",
    "website_url",
    "source_url",
    "self_hosted",
    "saas",
    "maturity",
    "last_release",
    "last_version",
    "replaces",
    "status",
)
SOFTWARE_M2M = ("categories", "programming_languages", "ui_languages", "makers", "similar")
PROVIDER_FIELDS = (
    "services",
    "countries",
    "rate_min",
    "rate_max",
    "currency",
    "rate_unit",
    "support_until",
)
USE_FIELDS = ("use_case", "rating")
MAX_RELATED = 30  # of each kind on one entry: functions, languages, makers, similar entries


def _changed(instance: Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(instance, name), value)
        for name, value in data.items()
        if getattr(instance, name) != value
    }


def unique_slug(name: str) -> str:
    base = slugify(name)[:130] or "software"
    slug, n = base, 2
    while Software.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_fields(data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )


def _with_licence(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the licence in normal form and what it derives (open source, family)."""
    if "licence" not in data:
        return data
    try:
        licence = licences.parse(data["licence"])
    except licences.InvalidLicence as error:
        raise ValidationError({"licence": str(error)}, code="licence") from None
    return {
        **data,
        "licence": licence.expression,
        "is_open_source": licence.is_open_source,
        "licence_family": licence.family.value,
    }


def _with_features(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its features as a clean list: trimmed, each once, short, a few."""
    if "features" not in data:
        return data
    raw = data["features"]
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, list | tuple):
        raise ValidationError({"features": _("Give the features as a list of short phrases.")})
    features = list(dict.fromkeys(str(f).strip().lstrip("-•* ").strip() for f in raw))
    features = [f for f in features if f]
    too_long = [f for f in features if len(f) > FEATURE_MAX]
    if too_long:
        raise ValidationError(
            {
                "features": _("Each feature is at most %(n)d characters: %(feature)s")
                % {"n": FEATURE_MAX, "feature": too_long[0]}
            }
        )
    if len(features) > FEATURES_MAX:
        raise ValidationError({"features": _("At most %(n)d features.") % {"n": FEATURES_MAX}})
    return {**data, "features": features}


def _check_related(software: Software, m2m: dict[str, Any]) -> dict[str, list[Any]]:
    checked: dict[str, list[Any]] = {}
    for name, values in m2m.items():
        if name not in SOFTWARE_M2M:
            raise ValidationError(_("Unknown fields: %(names)s") % {"names": name})
        values = list(dict.fromkeys(values))
        if len(values) > MAX_RELATED:
            raise ValidationError({name: _("Choose at most %(n)d.") % {"n": MAX_RELATED}})
        if name == "makers":
            _require_member_coops(name, values)
        if name == "similar":
            values = [entry for entry in values if entry.pk != software.pk]
        checked[name] = values
    return checked


def _check_publishable(software: Software) -> None:
    """A published entry says what it does, by function and in features (publiccode.yml
    requires them, and a visitor reads the export): a draft may wait for both."""
    if not software.is_published:
        return
    problems = {}
    if not software.categories.exists():
        problems["categories"] = _("Choose at least one function to publish it.")
    if not software.features:
        problems["features"] = _("List at least one feature to publish it.")
    if problems:
        raise ValidationError(problems)


def _require_member_coops(field: str, organisations: Iterable[Organisation]) -> None:
    others = [o.name for o in organisations if o.status != Organisation.Status.MEMBER]
    if others:
        raise ValidationError(
            {field: _("Only co-ops of the network: %(names)s") % {"names": ", ".join(others)}}
        )


def _touch(software: Software) -> None:
    """Providers and uses are part of the entry the API serves: it changed with them."""
    software.updated_at = timezone.now()
    Software.objects.filter(pk=software.pk).update(updated_at=software.updated_at)


def _apply(software: Software, data: dict[str, Any], m2m: dict[str, list[Any]]) -> list[str]:
    """Write what changed; return the names of the fields that did."""
    changes = _changed(software, data)
    for name, (_before, after) in changes.items():
        setattr(software, name, after)
    if software.pk is None:
        software.full_clean(exclude=["categories"])
        software.save()
    elif changes:
        software.full_clean()
        software.save(update_fields=[*changes, "updated_at"])
    changed_m2m = []
    for name, values in m2m.items():
        related = getattr(software, name)
        if {item.pk for item in related.all()} != {item.pk for item in values}:
            related.set(values)
            changed_m2m.append(name)
    if changed_m2m and not changes:
        _touch(software)
    if changes or changed_m2m:
        refresh_search_vectors(software_ids=[software.pk])
    return sorted([*changes, *changed_m2m])


@transaction.atomic
def software_create(
    *, actor: AnyUser, data: dict[str, Any], m2m: dict[str, Any] | None = None
) -> Software:
    """A person of the network adds an entry; it is a draft unless `data` publishes it."""
    if not permissions.can_add_software(actor):
        raise PermissionDenied(_("Only people of the network add software to the catalogue."))
    _check_fields(data, SOFTWARE_FIELDS)
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": _("Give the software's name.")})
    if "licence" not in data:
        raise ValidationError(
            {"licence": _("Give the licence as an SPDX expression, such as MIT.")}
        )
    data = _with_features(_with_licence({**data, "name": data["name"].strip()}))
    software = Software(slug=unique_slug(data["name"]), created_by=person_of(actor))
    checked = _check_related(software, m2m or {})
    _apply(software, data, checked)
    _check_publishable(software)
    audit_record(
        actor=actor,
        action="software.create",
        target=software,
        after={"status": software.status, "licence": software.licence},
    )
    return software


@transaction.atomic
def software_update(
    *,
    actor: AnyUser,
    software: Software,
    data: dict[str, Any],
    m2m: dict[str, Any] | None = None,
    slug: str | None = None,
) -> Software:
    """Edit an entry (its adder, its makers' admins, network admins). A new `slug` keeps the
    old address as a 301 (patio.slugs)."""
    if not permissions.can_edit_software(actor, software):
        raise PermissionDenied(_("You cannot edit this entry."))
    _check_fields(data, SOFTWARE_FIELDS)
    data = _with_features(_with_licence(data))
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    if slug is not None and slug != software.slug:
        if Software.objects.filter(slug=slug).exclude(pk=software.pk).exists():
            raise ValidationError({"slug": _("Another entry has this address.")})
        data["slug"] = slug
    before = {"status": software.status, "licence": software.licence, "slug": software.slug}
    checked = _check_related(software, m2m or {})
    changed = _apply(software, data, checked)
    _check_publishable(software)
    if changed:
        after = {"status": software.status, "licence": software.licence, "slug": software.slug}
        audit_record(
            actor=actor,
            action="software.update",
            target=software,
            before={**before, "fields": changed},
            after=after,
        )
    return software


@transaction.atomic
def software_import(
    *, actor: AnyUser, imported: publiccode.Imported, source_url: str = ""
) -> Software:
    """Add an entry, as a draft, from a publiccode.yml read by `publiccode.read`; a file whose
    source code is already in the catalogue is refused, naming the entry."""
    if not permissions.can_add_software(actor):
        raise PermissionDenied(_("Only people of the network add software to the catalogue."))
    source = imported.data.get("source_url") or ""
    existing = Software.objects.filter(source_url=source).first() if source else None
    if existing is not None:
        raise ValidationError(
            _("“%(name)s” in the catalogue has this source code already.")
            % {"name": existing.name},
            code="duplicate",
        )
    m2m = {
        "categories": list(FunctionCategory.objects.filter(slug__in=imported.function_slugs)),
        "ui_languages": list(Language.objects.filter(code__in=imported.language_codes)),
    }
    data = {**imported.data, "status": Software.Status.DRAFT}
    software = software_create(actor=actor, data=data, m2m=m2m)
    if source_url:
        software.publiccode_url = source_url[:500]
        software.save(update_fields=["publiccode_url", "updated_at"])
    audit_record(
        actor=actor,
        action="software.import",
        target=software,
        after={"from": source_url or "upload"},
    )
    return software


def _clean_services(services: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(services))
    unknown = [code for code in chosen if code not in Service.values]
    if unknown:
        raise ValidationError({"services": _("Unknown services: %(codes)s") % {"codes": unknown}})
    if not chosen:
        raise ValidationError({"services": _("Choose at least one service.")})
    return [code for code in Service.values if code in chosen]


def _check_rates(low: Decimal | None, high: Decimal | None) -> None:
    if any(rate is not None and rate < 0 for rate in (low, high)):
        raise ValidationError({"rate_min": _("A rate cannot be negative.")})
    if low is not None and high is not None and low > high:
        raise ValidationError({"rate_max": _("The highest rate is below the lowest.")})


def _listing_allowed(actor: AnyUser, software: Software, organisation: Organisation) -> None:
    if not permissions.can_list_coop(actor, organisation):
        raise PermissionDenied(_("Only the co-op's admins list it on an entry."))
    if not permissions.can_view_software(actor, software):
        raise PermissionDenied
    _require_member_coops("organisation", [organisation])


@transaction.atomic
def provider_save(
    *, actor: AnyUser, software: Software, organisation: Organisation, data: dict[str, Any]
) -> Provider:
    """List a co-op as a provider of an entry, or change what it offers (its own admins)."""
    _listing_allowed(actor, software, organisation)
    _check_fields(data, PROVIDER_FIELDS)
    data = dict(data)
    if "services" in data:
        data["services"] = _clean_services(data["services"])
    provider = Provider.objects.filter(software=software, organisation=organisation).first()
    created = provider is None
    if provider is None:
        if "services" not in data:
            raise ValidationError({"services": _("Choose at least one service.")})
        provider = Provider(software=software, organisation=organisation)
    if "countries" in data:
        data["countries"] = sorted(set(data["countries"]))
    current = {name: getattr(provider, name) for name in data}
    if "countries" in current:
        # A multiple CountryField reads as Country objects; the stubs see the str column.
        current["countries"] = [str(country) for country in provider.countries]
    changes = {
        name: (current[name], value)
        for name, value in data.items()
        if created or current[name] != value
    }
    for name, (_before, after) in changes.items():
        setattr(provider, name, after)
    _check_rates(provider.rate_min, provider.rate_max)
    if created or changes:
        provider.full_clean(exclude=["software", "organisation"])
        provider.save()
        _touch(software)
        audit_record(
            actor=actor,
            action="software.provider_add" if created else "software.provider_update",
            target=software,
            after={"organisation": organisation.slug, "fields": sorted(changes)},
        )
    return provider


@transaction.atomic
def provider_remove(*, actor: AnyUser, provider: Provider) -> None:
    _listing_allowed(actor, provider.software, provider.organisation)
    software, organisation = provider.software, provider.organisation
    provider.delete()
    _touch(software)
    audit_record(
        actor=actor,
        action="software.provider_remove",
        target=software,
        before={"organisation": organisation.slug},
    )


@transaction.atomic
def use_save(
    *, actor: AnyUser, software: Software, organisation: Organisation, data: dict[str, Any]
) -> SoftwareUse:
    """Say that a co-op uses an entry, what for and how well it serves them (its own admins)."""
    _listing_allowed(actor, software, organisation)
    _check_fields(data, USE_FIELDS)
    use = SoftwareUse.objects.filter(software=software, organisation=organisation).first()
    created = use is None
    if use is None:
        use = SoftwareUse(software=software, organisation=organisation)
    data = {**data, "use_case": (data.get("use_case", use.use_case) or "").strip()}
    changes = _changed(use, data) if not created else {k: (None, v) for k, v in data.items()}
    for name, (_before, after) in changes.items():
        setattr(use, name, after)
    if created or changes:
        use.full_clean(exclude=["software", "organisation"])
        use.save()
        _touch(software)
        audit_record(
            actor=actor,
            action="software.use_add" if created else "software.use_update",
            target=software,
            after={"organisation": organisation.slug, "rating": use.rating},
        )
    return use


@transaction.atomic
def use_remove(*, actor: AnyUser, use: SoftwareUse) -> None:
    _listing_allowed(actor, use.software, use.organisation)
    software, organisation = use.software, use.organisation
    use.delete()
    _touch(software)
    audit_record(
        actor=actor,
        action="software.use_remove",
        target=software,
        before={"organisation": organisation.slug},
    )


def _contact_allowed(actor: AnyUser, software: Software, person: Person) -> None:
    """A person lists themselves (their agreement to be named), or a network admin records an
    agreement given elsewhere; only people of the network's member co-ops."""
    own = person_of(actor)
    if not (is_network_admin(actor) or (own is not None and own.pk == person.pk)):
        raise PermissionDenied(_("Only the person themselves agrees to be a contact."))
    if not permissions.can_view_software(actor, software):
        raise PermissionDenied
    if person.erased_at is not None or person.organisation.status != Organisation.Status.MEMBER:
        raise ValidationError({"person": _("Only people of the network's co-ops.")})


@transaction.atomic
def contact_add(*, actor: AnyUser, software: Software, person: Person) -> MaintenanceContact:
    """Name a person as a maintenance contact of an entry, with their agreement."""
    _contact_allowed(actor, software, person)
    contact, created = MaintenanceContact.objects.get_or_create(software=software, person=person)
    if created:
        _touch(software)
        audit_record(
            actor=actor,
            action="software.contact_add",
            target=software,
            after={"person": person.pk},
        )
    return contact


@transaction.atomic
def contact_remove(*, actor: AnyUser, contact: MaintenanceContact) -> None:
    """The person withdraws, or an editor of the entry or a network admin takes them off."""
    software, person = contact.software, contact.person
    own = person_of(actor)
    if not (
        (own is not None and own.pk == person.pk) or permissions.can_edit_software(actor, software)
    ):
        raise PermissionDenied(_("You cannot change this entry's contacts."))
    contact.delete()
    _touch(software)
    audit_record(
        actor=actor,
        action="software.contact_remove",
        target=software,
        before={"person": person.pk},
    )


@transaction.atomic
def contacts_forget_for_erasure(*, person: Person, actor: AnyUser) -> int:
    """Erasure (privacy.hooks): a person's agreement to be named goes with them, so no entry or
    publiccode.yml names the "Former member" the erasure leaves. Each entry changed (its API
    copy and its derived maintenance) and the removal is audited, without naming the person."""
    contacts = list(
        MaintenanceContact.objects.filter(person=person).select_related("software").order_by("id")
    )
    for contact in contacts:
        contact.delete()
        _touch(contact.software)
        audit_record(actor=actor, action="software.contact_remove", target=contact.software)
    return len(contacts)
