"""Demo requests for help, called at the end of `manage.py seed_demo` (after the circles).

Idempotent: a request is known by its organisation's name, so a second run adds nothing. The
converted one is made only when a circle that triages requests has a current coordinator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalogue.models import Software
from circles.models import Circle, CircleMembership
from intake import services
from intake.emails import provider_contacts
from intake.models import HelpRequest, ProviderNotice
from members.models import Language, Organisation, Person

# organisation: (contact, email, country, need, budget, timeline, languages, language used,
#                status, description, answer or reason, days ago). All invented.
RequestSpec = tuple[str, str, str, str, str, str, list[str], str, str, str, str, int]
REQUESTS: dict[str, RequestSpec] = {
    "Olla Popular Cerro Norte": (
        "Rosa Acosta",
        "rosa@ollacerro.example",
        "UY",
        "build",
        "lt5k",
        "soon",
        ["es"],
        "es",
        "new",
        "Somos una olla popular que da 300 almuerzos por semana. Necesitamos un sistema simple "
        "para anotar voluntarios, turnos y donaciones de alimentos.",
        "",
        2,
    ),
    "Verein Stadtteilladen Nord": (
        "Jonas Keller",
        "jonas@stadtteilladen.example",
        "DE",
        "choose",
        "unsure",
        "flexible",
        ["de", "en"],
        "en",
        "new",
        "We are a neighbourhood association choosing a membership and newsletter tool. We would "
        "like advice on free software options we can run ourselves.",
        "",
        5,
    ),
    "Housing Co-op Riverside": (
        "Amara Okafor",
        "amara@riverside-housing.example",
        "GB",
        "maintain",
        "5k-20k",
        "urgent",
        ["en"],
        "en",
        "answered",
        "Our tenant portal (a Django site built years ago) no longer gets security updates. "
        "Who can take over its maintenance?",
        "Thank you, Amara. Two co-ops of the network maintain Django sites and can start next "
        "month; we will introduce you by email this week.",
        12,
    ),
    "Cooperativa Agrícola Serra Verde": (
        "Tiago Moreira",
        "tiago@serraverde.example",
        "BR",
        "audit",
        "gt50k",
        "later",
        ["pt"],
        "en",
        "declined",
        "We need a full certification audit of our traceability system for export.",
        "Certification audits need an accredited body, which the network is not. We have "
        "sent you the names of two accredited auditors that work with co-operatives.",
        30,
    ),
    "Kollektiv Brotzeit": (
        "Lena Brandt",
        "lena@brotzeit.example",
        "AT",
        "train",
        "5k-20k",
        "soon",
        ["de", "en"],
        "en",
        "converted",
        "Our bakery collective wants two days of training on running our own Nextcloud and "
        "keeping it backed up.",
        "",
        20,
    ),
}


def _triage_coordinator() -> tuple[Circle | None, Person | None]:
    membership = (
        CircleMembership.objects.current()
        .filter(role=CircleMembership.Role.COORDINATOR, circle__triages_help_requests=True)
        .select_related("circle", "person__user")
        .order_by("circle__name", "id")
        .first()
    )
    if membership is None or membership.person.user is None:
        return None, None
    return membership.circle, membership.person


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    existing = set(
        HelpRequest.objects.filter(organisation_name__in=REQUESTS).values_list(
            "organisation_name", flat=True
        )
    )
    circle, coordinator = _triage_coordinator()
    now = timezone.now()
    added = 0
    for organisation, row in REQUESTS.items():
        if organisation not in existing:
            added += _add_request(
                organisation, row, circle=circle, coordinator=coordinator, now=now
            )
    say(f"Help requests: {added} added ({len(existing)} already there).")
    _seed_asked_from_catalogue(now=now, say=say)


FROM_CATALOGUE = "Habitat Partagé Gerland"


def _seed_asked_from_catalogue(*, now: datetime, say: Callable[[str], None]) -> None:
    """A new request asked from CiviCRM's catalogue entry, its providers told yesterday (as
    history: no email goes to the demo's addresses while seeding). Once."""
    software = Software.objects.filter(name="CiviCRM", status=Software.Status.PUBLISHED).first()
    if software is None or HelpRequest.objects.filter(organisation_name=FROM_CATALOGUE).exists():
        return
    providers = list(
        Organisation.objects.filter(software_provided__software=software).order_by("name")[:2]
    )
    help_request = HelpRequest.objects.create(
        organisation_name=FROM_CATALOGUE,
        contact_name="Claire Martin",
        contact_email="claire@habitat-gerland.example",
        country="FR",
        need=HelpRequest.Need.MAINTAIN,
        budget_range=HelpRequest.Budget.FROM_5K,
        timeline=HelpRequest.Timeline.SOON,
        description=(
            f"We would like help with CiviCRM ({settings.SITE_URL}{software.get_absolute_url()}).\n"
            "Services wanted: Hosting, Training.\n"
            "About us and what we need: a housing co-op of 120 households in Lyon. Our CiviCRM "
            "runs on a volunteer's server; we want it hosted and our two staff trained."
        ),
        language="fr",
        software=software,
        acknowledged_at=now - timedelta(days=1),
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=now - timedelta(days=1))
    help_request.preferred_languages.set(Language.objects.filter(code__in=["fr", "en"]))
    for organisation in providers:
        notice = ProviderNotice.objects.create(
            help_request=help_request, organisation=organisation, sent_at=now - timedelta(days=1)
        )
        notice.told.set(provider_contacts(organisation.pk))
    say(f"Help requests: one asked from the catalogue, {len(providers)} providers told.")


def _add_request(
    organisation: str,
    row: RequestSpec,
    *,
    circle: Circle | None,
    coordinator: Person | None,
    now: datetime,
) -> bool:
    """One request, received `days` ago and, unless new, handled the day after; returns
    whether it was added."""
    (
        contact,
        email,
        country,
        need,
        budget,
        timeline,
        codes,
        language,
        status,
        description,
        reply,
        days,
    ) = row
    if status == HelpRequest.Status.CONVERTED and coordinator is None:
        return False  # no one to post it: left out rather than faked
    help_request = HelpRequest.objects.create(
        organisation_name=organisation,
        contact_name=contact,
        contact_email=email,
        country=country,
        need=need,
        budget_range=budget,
        timeline=timeline,
        description=description,
        language=language,
        # Demo requests are not acknowledged by email: no mail to invented addresses.
        acknowledged_at=now - timedelta(days=days),
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=now - timedelta(days=days))
    help_request.preferred_languages.set(Language.objects.filter(code__in=codes))
    handled = {
        "handled_by": coordinator,
        "handled_at": now - timedelta(days=days - 1),
        "reply_sent_at": now - timedelta(days=days - 1),
    }
    if status == HelpRequest.Status.ANSWERED:
        HelpRequest.objects.filter(pk=help_request.pk).update(
            status=status, answer=reply, **handled
        )
    elif status == HelpRequest.Status.DECLINED:
        HelpRequest.objects.filter(pk=help_request.pk).update(
            status=status, decline_reason=reply, **handled
        )
    elif status == HelpRequest.Status.CONVERTED and coordinator and circle:
        assert coordinator.user is not None  # coordinators are picked among accounts
        services.help_request_convert(
            actor=coordinator.user, help_request=help_request, circle=circle
        )
    return True
