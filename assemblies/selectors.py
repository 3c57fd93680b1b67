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

from assemblies import delegation, permissions, rotation
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    AssemblySeries,
    Attendance,
    CalendarFeedToken,
    CircleUpdate,
    Correction,
    Decision,
    Minutes,
    MinutesRevision,
    ReminderSettings,
    Rsvp,
    SeriesVolunteer,
    VoteDelegation,
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
    # Votes carried by delegation that count now (the delegate there, the delegator not), and
    # the live delegations whose delegator is there and votes themselves.
    delegated: int = 0
    overridden: int = 0
    delegation_ids: tuple[int, ...] = ()

    @property
    def people(self) -> int:
        """Present people once the meeting is open; before, those who said they are going."""
        return self.present if self.counting_presence else self.going

    @property
    def count(self) -> int:
        """The votes that count toward quorum: the people, and the votes they carry."""
        return self.people + self.delegated

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
    roster people are marked present from, with the votes carried by delegation (a delegation
    counts while its delegate is there and its delegator is not: `assemblies.delegation`).
    Five queries."""
    percent = ReminderSettings.load().quorum_percent
    active = roster(assembly).count()
    answers = assembly.rsvps.aggregate(
        going=Count("id", filter=Q(answer=Rsvp.Answer.GOING)),
        maybe=Count("id", filter=Q(answer=Rsvp.Answer.MAYBE)),
    )
    present = Attendance.objects.filter(
        assembly=assembly, person__in=roster(assembly).order_by()
    ).count()
    counting_presence = assembly.status in {Assembly.Status.OPEN, Assembly.Status.CLOSED}

    def there(column: str) -> Exists:
        if counting_presence:
            return Exists(Attendance.objects.filter(assembly=assembly, person_id=OuterRef(column)))
        return Exists(
            Rsvp.objects.filter(
                assembly=assembly, person_id=OuterRef(column), answer=Rsvp.Answer.GOING
            )
        )

    rows = (
        live_delegations(assembly)
        .filter(
            delegator__participation=Person.Participation.ACTIVE,
            delegate__participation=Person.Participation.ACTIVE,
        )
        .annotate(delegator_there=there("delegator_id"), delegate_there=there("delegate_id"))
        .values_list("pk", "delegator_id", "delegate_id", "delegator_there", "delegate_there")
    )
    found = list(rows)
    here = {r[1] for r in found if r[3]} | {r[2] for r in found if r[4]}
    counting, overridden = delegation.counted([(r[0], r[1], r[2]) for r in found], present=here)
    return Quorum(
        active=active,
        percent=percent,
        needed=math.ceil(active * percent / 100),
        going=answers["going"],
        maybe=answers["maybe"],
        present=present,
        counting_presence=counting_presence,
        delegated=len(counting),
        overridden=len(overridden),
        delegation_ids=tuple(counting),
    )


# Delegated votes --------------------------------------------------------------------------------
def live_delegations(assembly: Assembly) -> QuerySet[VoteDelegation]:
    return VoteDelegation.objects.filter(assembly=assembly, revoked_at__isnull=True)


def delegation_of(person: Person | None, assembly: Assembly) -> VoteDelegation | None:
    """The live delegation the person gave in this assembly, if any."""
    if person is None:
        return None
    return live_delegations(assembly).filter(delegator=person).select_related("delegate").first()


def delegations_held(person: Person | None, assembly: Assembly) -> list[VoteDelegation]:
    """The votes the person carries in this assembly."""
    if person is None:
        return []
    return list(live_delegations(assembly).filter(delegate=person).select_related("delegator"))


def delegations_visible(user: AnyUser | None, assembly: Assembly) -> QuerySet[VoteDelegation]:
    """Who delegated to whom: those who run the assembly see every live delegation (they count
    them); everyone else only the ones they are part of."""
    rows = live_delegations(assembly).select_related("delegator", "delegate")
    if permissions.can_run(user, assembly):
        return rows.order_by("delegate__display_name", "id")
    person = person_of(user)
    if person is None:
        return rows.none()
    return rows.filter(Q(delegator=person) | Q(delegate=person)).order_by("id")


def delegates_for(person: Person | None, assembly: Assembly) -> QuerySet[Person]:
    """Whom the person may choose as their delegate: other active members who have not
    delegated themselves (the capacity is checked when delegating, with a clear message)."""
    others = roster(assembly).exclude(pk__in=live_delegations(assembly).values("delegator_id"))
    return others.exclude(pk=person.pk) if person is not None else others


def attendance_ids(assembly: Assembly) -> set[int]:
    return set(assembly.attendances.values_list("person_id", flat=True))


def roster_rows(assembly: Assembly) -> list[tuple[Person, bool]]:
    """The roster with who is present, for the run page: two queries."""
    present = attendance_ids(assembly)
    return [
        (person, person.pk in present) for person in roster(assembly).select_related("organisation")
    ]


def corrections(assembly: Assembly) -> QuerySet[Correction]:
    """The corrections noted beside a closed assembly's record."""
    return (
        assembly.corrections.filter(status=Correction.Status.NOTED)
        .select_related("author", "agenda_item", "decision")
        .order_by("created_at", "id")
    )


# Minutes ----------------------------------------------------------------------------------------
def minutes_of(assembly: Assembly) -> Minutes | None:
    return Minutes.objects.filter(assembly=assembly).select_related("approved_by").first()


def suggestions(assembly: Assembly) -> QuerySet[Correction]:
    """The corrections suggested to the draft minutes, in the order they came."""
    return (
        assembly.corrections.exclude(status=Correction.Status.NOTED)
        .select_related("author", "decided_by", "agenda_item", "decision")
        .order_by("created_at", "id")
    )


def minutes_history(minutes: Minutes) -> QuerySet[MinutesRevision]:
    return minutes.revisions.select_related("author", "correction").order_by("created_at", "id")


def draft_from_items(assembly: Assembly) -> str:
    """A first draft of the minutes from what was noted on each agenda item."""
    parts = [
        f"## {item.title}\n\n{item.minutes.strip()}"
        for item in assembly.agenda_items.order_by("order", "id")
        if item.minutes.strip()
    ]
    return "\n\n".join(parts)


# Rotation ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rotation:
    facilitator: Person | None
    note_taker: Person | None
    ranked: list[tuple[Person, datetime | None]]


def volunteers(series: AssemblySeries) -> QuerySet[SeriesVolunteer]:
    return series.volunteers.select_related("person").order_by("created_at", "id")


def rotation_suggestion(assembly: Assembly) -> Rotation | None:
    """Whom the series suggests to facilitate and take notes at this assembly
    (`assemblies.rotation` holds the rule). Two queries; None for an assembly of no series."""
    if assembly.series_id is None:
        return None
    rows = list(volunteers(assembly.series))  # type: ignore[arg-type]
    earlier = Assembly.objects.filter(
        series_id=assembly.series_id, start__lt=assembly.start
    ).exclude(status=Assembly.Status.CANCELLED)
    served: dict[int, datetime] = {}
    for held_by, noted_by, start in earlier.values_list("facilitator_id", "note_taker_id", "start"):
        for pk in filter(None, (held_by, noted_by)):  # an unfilled role is no service
            if pk not in served or served[pk] < start:
                served[pk] = start
    people = {row.person_id: row.person for row in rows}
    order = rotation.ranked([(row.person_id, row.created_at) for row in rows], served)
    facilitator, note_taker = rotation.suggestion(order)
    return Rotation(
        facilitator=people.get(facilitator) if facilitator is not None else None,
        note_taker=people.get(note_taker) if note_taker is not None else None,
        ranked=[(people[v.person_id], v.last_served) for v in order],
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
