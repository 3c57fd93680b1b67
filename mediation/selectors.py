"""Reads of mediation cases, shared by the pages, the emails and the hooks. Every list of cases
goes through `cases_readable_by`, so no page can show a case to someone named in it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from assemblies.models import Assembly
from mediation import permissions
from mediation.models import Case, CaseEvent, CaseNote
from members.models import Person
from members.permissions import person_of

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import AnyUser
    from assemblies.hooks import AgendaProposal


def _named(person: Person) -> Exists:
    return Exists(Case.involved.through.objects.filter(case_id=OuterRef("pk"), person_id=person.pk))


def _people() -> Prefetch[Any]:
    return Prefetch(
        "involved", queryset=Person.objects.select_related("organisation").order_by("display_name")
    )


def cases_readable_by(user: AnyUser | None) -> QuerySet[Case]:
    """The cases this reader may open: their own requests, and, for a mediator, every case that
    does not name them. Never a case that names the reader."""
    person = person_of(user)
    if person is None:
        return Case.objects.none()
    cases = Case.objects.exclude(_named(person))
    if not permissions.is_mediator(user):
        cases = cases.filter(requester=person)
    return cases


def case_detail(user: AnyUser | None) -> QuerySet[Case]:
    return (
        cases_readable_by(user)
        .select_related("requester__organisation")
        .prefetch_related(_people())
    )


def my_cases(user: AnyUser | None) -> QuerySet[Case]:
    """The reader's own requests, newest first."""
    person = person_of(user)
    if person is None:
        return Case.objects.none()
    return (
        cases_readable_by(user)
        .filter(requester=person)
        .prefetch_related(_people())
        .order_by("-opened_at", "-id")
    )


def queue(user: AnyUser | None) -> QuerySet[Case]:
    """The mediators' queue: cases the reader may mediate (not their own, none naming them),
    open ones first, oldest first among them; then ended ones, latest first."""
    person = person_of(user)
    if person is None or not permissions.is_mediator(user):
        return Case.objects.none()
    return (
        cases_readable_by(user)
        .exclude(requester=person)
        .select_related("requester__organisation")
        .prefetch_related(_people())
        .order_by(F("ended_at").desc(nulls_first=True), "opened_at", "id")
    )


def events_of(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("by")


def notes_of(case: Case) -> QuerySet[CaseNote]:
    return case.notes.select_related("author__organisation")


def mediators_to_tell(case: Case) -> QuerySet[Person]:
    """The mediators a new case goes to: neither named in it nor its requester."""
    named = Case.involved.through.objects.filter(case_id=case.pk).values("person_id")
    return (
        permissions.mediators()
        .exclude(pk__in=named)
        .exclude(pk=case.requester_id)
        .select_related("user")
    )


def people_to_name(person: Person | None) -> QuerySet[Person]:
    """Whom a requester may name: anyone listed in the network but themselves."""
    people = Person.objects.filter(erased_at__isnull=True).select_related("organisation")
    if person is not None:
        people = people.exclude(pk=person.pk)
    return people.order_by("display_name", "id")


def _assemblies() -> QuerySet[Assembly]:
    return Assembly.objects.exclude(status=Assembly.Status.CANCELLED)


def next_assembly_after(at: datetime) -> Assembly | None:
    """The assembly an escalation goes to: the first one (not cancelled) after it."""
    return _assemblies().filter(start__gt=at).order_by("start", "id").first()


def agenda_key(case: Case) -> str:
    """The agenda item's source key: stable for the case, but a digest, so the agenda (and its
    API) does not count the network's cases."""
    return "case-" + salted_hmac("mediation.agenda", str(case.pk)).hexdigest()[:16]


def agenda_escalations(assembly: Assembly) -> list[AgendaProposal]:
    """The agenda source: each case escalated before this assembly starts, on the first
    assembly after its escalation. The item has a neutral title and says nothing of the case:
    the mediators present what the assembly needs to know."""
    from assemblies.hooks import AgendaProposal

    earlier = _assemblies().filter(start__gt=OuterRef("escalated_at"), start__lt=assembly.start)
    cases = (
        Case.objects.filter(state=Case.State.ESCALATED, escalated_at__lt=assembly.start)
        .exclude(Exists(earlier))
        .order_by("escalated_at", "id")
    )
    # Stored, and read by everyone: in the site's language, not the builder's.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("A conflict the mediators bring to the assembly")
        description = _(
            "The mediators could not resolve a conflict and bring it to the assembly. What it "
            "is about stays confidential: they present what the assembly needs to decide."
        )
    return [
        AgendaProposal(
            key=agenda_key(case),
            title=title,
            description=description,
            kind="discussion",
            time_box_minutes=15,
        )
        for case in cases
    ]


def export_rows(person: Person) -> list[dict[str, Any]]:
    """The requester's own cases for their data download, with the notes on them. The people a
    case names find nothing of it in theirs."""
    cases = (
        Case.objects.filter(requester=person)
        .prefetch_related(
            _people(),
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
            "events",
        )
        .order_by("opened_at", "id")
    )
    return [
        {
            "id": case.pk,
            "opened_at": case.opened_at,
            "state": case.state,
            "people_involved": [p.display_name for p in case.involved.all()],
            "what_happened": case.what_happened,
            "hoped_for": case.hoped_for,
            "meeting_at": case.meeting_at,
            "meeting_minutes": case.meeting_minutes,
            "meeting_place": case.meeting_place,
            "ended_at": case.ended_at,
            "history": [{"at": e.at, "kind": e.kind, "state": e.state} for e in case.events.all()],
            "notes": [
                {
                    "at": n.created_at,
                    "by_me": n.author_id == person.pk,
                    "by": n.author.display_name,
                    "note": n.body,
                }
                for n in case.notes.all()
            ],
        }
        for case in cases
    ]


def waiting_for(user: AnyUser | None) -> QuerySet[Case]:
    """The received cases the reader may mediate, oldest first, in one query (the member's
    home): nothing for anyone who is not a mediator."""
    person = person_of(user)
    if person is None:
        return Case.objects.none()
    mediates = Exists(permissions.mediator_memberships().filter(person=person))
    return (
        Case.objects.filter(mediates, state=Case.State.RECEIVED)
        .exclude(requester=person)
        .exclude(_named(person))
        .order_by("opened_at", "id")
    )
