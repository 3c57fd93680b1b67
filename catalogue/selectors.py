"""Reads shared by the catalogue's pages and API: what a reader may see, with what each page
shows prefetched, so a page costs the same few queries whatever its size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, TextField
from django.db.models.functions import Cast

from catalogue.models import (
    FunctionCategory,
    MaintenanceContact,
    Provider,
    Service,
    Software,
    SoftwareUse,
)
from members.models import Organisation
from members.permissions import is_member
from members.selectors import organisations_visible_to, people_visible_to
from members.vocabulary import by_name

if TYPE_CHECKING:
    from accounts.models import AnyUser

COMPARE_MIN, COMPARE_MAX = 2, 4


def hosting_providers() -> QuerySet[Provider]:
    """Providers that host the software as a service for other co-ops: member co-ops whose
    services include hosting. The JSON list is read as text, the same on PostgreSQL and SQLite
    (`"host"` in quotes: no other service's code contains it)."""
    return (
        Provider.objects.filter(organisation__status=Organisation.Status.MEMBER)
        .annotate(services_text=Cast("services", TextField()))
        .filter(services_text__contains=f'"{Service.HOST.value}"')
    )


def with_managed(queryset: QuerySet[Software]) -> QuerySet[Software]:
    """Entries with `managed`: whether a network co-op hosts it (one subquery, no extra query);
    `Software.is_managed` reads it."""
    return queryset.annotate(managed=Exists(hosting_providers().filter(software=OuterRef("pk"))))


def software_visible_to(user: AnyUser | None) -> QuerySet[Software]:
    queryset = with_managed(Software.objects.all())
    if not is_member(user):
        queryset = queryset.filter(status=Software.Status.PUBLISHED)
    return queryset


def public_software() -> QuerySet[Software]:
    """What a visitor may open: for the sitemap and the JSON-LD documents."""
    return software_visible_to(None).order_by("id")


def _coops(user: AnyUser | None) -> QuerySet[Organisation]:
    return organisations_visible_to(user).only("id", "slug", "name", "country", "status")


def software_list(user: AnyUser | None) -> QuerySet[Software]:
    """Entries as a list shows them: functions, hosting, how many make and use them."""
    return (
        software_visible_to(user)
        .prefetch_related(
            Prefetch("categories", queryset=by_name(FunctionCategory.objects.all())),
            Prefetch("makers", queryset=_coops(user).order_by("name", "id")),
        )
        .order_by("name", "id")
    )


def software_detail(user: AnyUser | None) -> QuerySet[Software]:
    """One entry with everything its page, its API answer and its exports show; only the co-ops
    the reader may see are named."""
    coops = _coops(user)
    return software_list(user).prefetch_related(
        "programming_languages",
        "ui_languages",
        Prefetch(
            "similar",
            queryset=software_visible_to(user).only("id", "slug", "name", "summary", "status"),
        ),
        Prefetch(
            "providers",
            queryset=Provider.objects.filter(organisation__in=coops)
            .select_related("organisation")
            .order_by("organisation__name", "id"),
        ),
        Prefetch(
            "uses",
            queryset=SoftwareUse.objects.filter(organisation__in=coops)
            .select_related("organisation")
            .order_by("organisation__name", "id"),
        ),
        Prefetch(
            "contacts",
            queryset=MaintenanceContact.objects.filter(person__in=people_visible_to(user))
            .select_related("person__organisation")
            .order_by("person__display_name", "id"),
        ),
    )


def software_to_compare(user: AnyUser | None, slugs: list[str]) -> list[Software]:
    """The entries named, in the order given, each once, among those the reader may see."""
    wanted = list(dict.fromkeys(slugs))[:COMPARE_MAX]
    found = {entry.slug: entry for entry in software_detail(user).filter(slug__in=wanted)}
    return [found[slug] for slug in wanted if slug in found]


def functions() -> QuerySet[FunctionCategory]:
    return by_name(FunctionCategory.objects.all())
