"""Reads that the assembly pages and the API share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from assemblies import permissions
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    Attendance,
    CalendarFeedToken,
    CircleUpdate,
    Correction,
    Decision,
    ReminderSettings,
    Rsvp,
)
from circles.models import Circle, CircleMembership
from members.models import Person
from members.permissions import is_network_admin, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser


def assembly_list(user: AnyUser | None) -> QuerySet[Assembly]:
    """Every assembly the user may see (members and admins see all; visitors none)."""
    if not permissions.can_view_assemblies(user):
        return Assembly.objects.none()
    return Assembly.objects.select_related("facilitator", "note_taker", "series").annotate(
        going=Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.GOING), distinct=True),
        agenda_size=Count("agenda_items", distinct=True),
    )


def upcoming(user: AnyUser | None, now: datetime | None = None) -> QuerySet[Assembly]:
    now = now or timezone.now()
    return (
        assembly_list(user)
        .filter(status__in=[Assembly.Status.PLANNED, Assembly.Status.OPEN])
        .filter(start__gte=now - _long_meeting())
        .order_by("start", "id")
    )


def past(user: AnyUser | None, now: datetime | None = None) -> QuerySet[Assembly]:
    now = now or timezone.now()
    return (
        assembly_list(user)
        .filter(
            Q(status__in=[Assembly.Status.CLOSED, Assembly.Status.CANCELLED])
            | Q(start__lt=now - _long_meeting())
        )
        .order_by("-start", "-id")
    )


def _long_meeting() -> timedelta:
    """An assembly stays "upcoming" this long after its start, so it is easy to find while on."""
    return timedelta(hours=10)


def assembly_detail(user: AnyUser | None) -> QuerySet[Assembly]:
    if not permissions.can_view_assemblies(user):
        return Assembly.objects.none()
    return Assembly.objects.select_related("facilitator", "note_taker", "series", "current_item")


def as_served(assemblies: QuerySet[Assembly]) -> QuerySet[Assembly]:
    """Assemblies as the API serves them, with how many are going (webhook events too)."""
    return assemblies.select_related("facilitator", "note_taker").annotate(
        going=Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.GOING))
    )


def agenda(assembly: Assembly) -> QuerySet[AgendaItem]:
    """The agenda in order, each item with the decisions taken on it (one more query)."""
    return (
        assembly.agenda_items.select_related("proposer")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("created_at", "id"))
        )
        .order_by("order", "id")
    )


def circle_updates(assembly: Assembly) -> QuerySet[CircleUpdate]:
    return assembly.updates.select_related("circle", "author").order_by("circle__name")


def circles_missing_update(assembly: Assembly) -> QuerySet[Circle]:
    return (
        Circle.objects.filter(status=Circle.Status.ACTIVE)
        .exclude(Exists(CircleUpdate.objects.filter(assembly=assembly, circle=OuterRef("pk"))))
        .order_by("name")
    )


def circles_user_may_update(user: AnyUser | None, assembly: Assembly) -> QuerySet[Circle]:
    """The active circles this user posts updates for (coordinators; admins for all), until the
    assembly is over."""
    if assembly.is_over:
        return Circle.objects.none()
    circles = Circle.objects.filter(status=Circle.Status.ACTIVE).order_by("name")
    if is_network_admin(user):
        return circles
    person = person_of(user)
    if person is None:
        return Circle.objects.none()
    return circles.filter(
        Exists(
            CircleMembership.objects.current().filter(
                circle=OuterRef("pk"), person=person, role=CircleMembership.Role.COORDINATOR
            )
        )
    )


def rsvp_of(user: AnyUser | None, assembly: Assembly) -> Rsvp | None:
    person = person_of(user)
    if person is None:
        return None
    return Rsvp.objects.filter(assembly=assembly, person=person).first()


@dataclass(frozen=True)
class Quorum:
    active: int
    percent: int
    needed: int
    going: int
    maybe: int
    present: int
    counting_presence: bool

    @property
    def count(self) -> int:
        """Present people once the meeting is open; before, those who said they are going."""
        return self.present if self.counting_presence else self.going

    @property
    def reached(self) -> bool:
        return self.needed > 0 and self.count >= self.needed


def roster(assembly: Assembly | None = None) -> QuerySet[Person]:
    """Who may be marked present, and whom the quorum counts: every active member of the
    network (participation, which the circles decide), with or without an account."""
    return Person.objects.filter(participation=Person.Participation.ACTIVE).order_by(
        "display_name", "id"
    )


def quorum(assembly: Assembly) -> Quorum:
    """A share (ReminderSettings.quorum_percent) of the active members, counted over the same
    roster people are marked present from. Three queries."""
    percent = ReminderSettings.load().quorum_percent
    active = roster(assembly).count()
    answers = assembly.rsvps.aggregate(
        going=Count("id", filter=Q(answer=Rsvp.Answer.GOING)),
        maybe=Count("id", filter=Q(answer=Rsvp.Answer.MAYBE)),
    )
    present = Attendance.objects.filter(
        assembly=assembly, person__in=roster(assembly).order_by()
    ).count()
    return Quorum(
        active=active,
        percent=percent,
        needed=math.ceil(active * percent / 100),
        going=answers["going"],
        maybe=answers["maybe"],
        present=present,
        counting_presence=assembly.status in {Assembly.Status.OPEN, Assembly.Status.CLOSED},
    )


def attendance_ids(assembly: Assembly) -> set[int]:
    return set(assembly.attendances.values_list("person_id", flat=True))


def roster_rows(assembly: Assembly) -> list[tuple[Person, bool]]:
    """The roster with who is present, for the run page: two queries."""
    present = attendance_ids(assembly)
    return [
        (person, person.pk in present) for person in roster(assembly).select_related("organisation")
    ]


def corrections(assembly: Assembly) -> QuerySet[Correction]:
    return assembly.corrections.select_related("author", "agenda_item", "decision").order_by(
        "created_at", "id"
    )


def public_assemblies() -> QuerySet[Assembly]:
    """Assemblies everyone may see: when they meet and what they decided (never the agenda,
    minutes, attendance or meeting link, which stay with members)."""
    return Assembly.objects.filter(visibility=Assembly.Visibility.PUBLIC)


# The public feed: a year back and everything ahead, as the personal feed.
FEED_SINCE = timedelta(days=365)
FEED_MOST = 500


def _public_feed(now: datetime | None) -> QuerySet[Assembly]:
    since = (now or timezone.now()) - FEED_SINCE
    return public_assemblies().filter(start__gte=since)


def public_feed(now: datetime | None = None) -> QuerySet[Assembly]:
    """The public assemblies of the last year and ahead, for the public iCal feed."""
    return _public_feed(now).order_by("start", "id")[:FEED_MOST]


def public_feed_version(now: datetime | None = None) -> tuple[int, datetime | None]:
    """How many assemblies the public feed holds and when the latest of them changed, in one
    query: a calendar app polling the feed is answered from this alone when nothing changed.

    Every change of an assembly writes its `updated_at`; one entering the feed is the latest
    change, and one leaving it (made members-only, deleted, a year old) lowers the count."""
    found = _public_feed(now).aggregate(n=Count("id"), last=Max("updated_at"))
    return found["n"], found["last"]


def decision_detail(user: AnyUser | None) -> QuerySet[Decision]:
    """The decisions a reader may open one by one: all for members, those of public assemblies
    for everyone; with their assembly and corrections."""
    decisions = Decision.objects.select_related("assembly", "agenda_item").prefetch_related(
        Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id"))
    )
    if permissions.can_view_assemblies(user):
        return decisions
    return decisions.filter(assembly__visibility=Assembly.Visibility.PUBLIC)


def public_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(assembly__visibility=Assembly.Visibility.PUBLIC)


def decisions_log(user: AnyUser | None, query: str = "") -> QuerySet[Decision]:
    """Every decision across assemblies, newest first; `query` searches text and objections."""
    if not permissions.can_view_assemblies(user):
        return Decision.objects.none()
    decisions = Decision.objects.select_related("assembly", "agenda_item").order_by(
        "-assembly__start", "-id"
    )
    query = query.strip()
    if not query:
        return decisions
    if settings.USES_POSTGRES:
        vector = SearchVector("text", "objections", "agenda_item__title", config="simple")
        terms = SearchQuery(query, config="simple", search_type="websearch")
        return decisions.annotate(search=vector).filter(Q(search=terms) | Q(text__icontains=query))
    return decisions.filter(Q(text__icontains=query) | Q(objections__icontains=query))


def action_items_for(user: AnyUser | None) -> QuerySet[ActionItem]:
    if not permissions.can_view_assemblies(user):
        return ActionItem.objects.none()
    return ActionItem.objects.select_related("owner", "assembly", "agenda_item")


def open_actions_of(person: Person) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(owner=person, status=ActionItem.Status.OPEN)
        .select_related("assembly")
        .order_by("due_date", "id")
    )


def rsvps_due(person: Person, now: datetime | None = None) -> QuerySet[Assembly]:
    """Planned assemblies still ahead that the person has not answered, soonest first."""
    now = now or timezone.now()
    answered = Rsvp.objects.filter(assembly=OuterRef("pk"), person=person)
    return (
        Assembly.objects.filter(status=Assembly.Status.PLANNED, start__gt=now)
        .exclude(Exists(answered))
        .order_by("start", "id")
    )


def people_for_roles() -> QuerySet[Person]:
    """People who may facilitate or take notes: everyone with an active account."""
    return Person.objects.filter(user__is_active=True).order_by("display_name", "id")


# Calendar feeds ---------------------------------------------------------------------------------
def calendar_token_active(person: Person) -> CalendarFeedToken | None:
    """The person's working feed token (creating one revokes the others)."""
    return CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).first()


def calendar_feed_owner(secret: str) -> Person | None:
    """Whose personal feed a secret opens: the person of a token not revoked, while their
    account is active. None for anything else (calendar apps cannot log in: the secret is the
    key, and it stops working with the account)."""
    token = (
        CalendarFeedToken.objects.filter(
            digest=CalendarFeedToken.digest_of(secret), revoked_at__isnull=True
        )
        .select_related("person__user")
        .first()
    )
    if token is None or not (token.person.user and token.person.user.is_active):
        return None
    return token.person
