"""Reads shared by the circle pages and the API, and THE participation rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from circles.models import Circle, CircleMembership, CurrentMembershipQuerySet, MembershipRequest
from members.models import Person
from members.permissions import is_member, person_of
from members.selectors import people_visible_to
from patio.dates import network_today

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import AnyUser

ROLE_ORDER = [role.value for role in CircleMembership.Role]


# The participation rule ---------------------------------------------------------------------
def active_memberships(on: date | None = None) -> QuerySet[CircleMembership]:
    """Memberships that make a person ACTIVE: held on the day, in a circle that is active.

    This is the one place the rule lives: a person is active when they hold a current
    membership in an active circle, and passive otherwise. `members.Person.participation`
    stores its result (circles.services.participation_refresh), which the directory filters on."""
    return CircleMembership.objects.current(on).filter(circle__status=Circle.Status.ACTIVE)


def holds_active_membership(on: date | None = None) -> Exists:
    """The rule as an expression over Person rows: `Person.objects.filter(holds_active_membership())`."""
    return Exists(active_memberships(on).filter(person=OuterRef("pk")))


def participation_by_rule(person: Person, on: date | None = None) -> str:
    """What the rule says one person's participation is (the stored field should agree)."""
    active = active_memberships(on).filter(person=person).exists()
    return Person.Participation.ACTIVE if active else Person.Participation.PASSIVE


def _of_visible_people(
    queryset: CurrentMembershipQuerySet, user: AnyUser | None
) -> CurrentMembershipQuerySet:
    """Members see everyone; visitors only people whose profile is public (in a member co-op)."""
    if is_member(user):
        return queryset
    return queryset.filter(person__in=people_visible_to(user))


# Circles --------------------------------------------------------------------------------------
def _current_members_count() -> Count:
    today = network_today()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    return Count("memberships__person", filter=current, distinct=True)


def visible_coordinators(user: AnyUser | None) -> Prefetch[str, CurrentMembershipQuerySet, str]:
    """Prefetch of each circle's current coordinators the reader may see, with their co-op."""
    return Prefetch(
        "memberships",
        queryset=_of_visible_people(CircleMembership.objects.current(), user)
        .filter(role=CircleMembership.Role.COORDINATOR)
        .select_related("person__organisation")
        .order_by("person__display_name", "id"),
        to_attr="coordinator_memberships",
    )


def circle_list(user: AnyUser | None) -> QuerySet[Circle]:
    """Every circle (governance is open) with its member count and visible coordinators."""
    return (
        Circle.objects.select_related("parent")
        .annotate(member_count=_current_members_count())
        .prefetch_related(visible_coordinators(user))
        .order_by("name", "id")
    )


@dataclass
class TreeNode:
    circle: Circle
    children: list[TreeNode] = field(default_factory=list)


def circle_tree(user: AnyUser | None) -> list[TreeNode]:
    """The circles as a forest: roots in name order, each with its sub-circles."""
    circles = list(circle_list(user))
    nodes = {circle.pk: TreeNode(circle) for circle in circles}
    roots: list[TreeNode] = []
    for circle in circles:
        parent = nodes.get(circle.parent_id) if circle.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[circle.pk])
    return roots


def circle_detail(user: AnyUser | None) -> QuerySet[Circle]:
    return circle_list(user).prefetch_related(
        Prefetch("children", queryset=Circle.objects.order_by("name"))
    )


def circle_memberships(user: AnyUser | None) -> CurrentMembershipQuerySet:
    """Memberships (past and present) of people the reader may see, with circle and co-op."""
    return (
        _of_visible_people(CircleMembership.objects.all(), user)
        .select_related("circle", "person__organisation")
        .order_by("circle__name", "person__display_name", "id")
    )


def circle_members(user: AnyUser | None, circle: Circle) -> CurrentMembershipQuerySet:
    return (
        circle_memberships(user)
        .current()
        .filter(circle=circle)
        .order_by("person__display_name", "id")
    )


def members_by_role(
    user: AnyUser | None, circle: Circle
) -> list[tuple[str, StrOrPromise, list[CircleMembership]]]:
    """[(role, role label, memberships)] in the order coordinator, facilitator, secretary, member;
    roles nobody holds are left out."""
    groups: dict[str, list[CircleMembership]] = {role: [] for role in ROLE_ORDER}
    for membership in circle_members(user, circle):
        groups[membership.role].append(membership)
    labels = dict(CircleMembership.Role.choices)
    return [(role, labels[role], rows) for role, rows in groups.items() if rows]


def pending_requests(circle: Circle) -> QuerySet[MembershipRequest]:
    return (
        MembershipRequest.objects.filter(circle=circle, status=MembershipRequest.Status.PENDING)
        .select_related("person__organisation")
        .order_by("created_at", "id")
    )


def own_pending_requests(user: AnyUser | None, circle: Circle) -> QuerySet[MembershipRequest]:
    person = person_of(user)
    if person is None:
        return MembershipRequest.objects.none()
    return MembershipRequest.objects.filter(
        circle=circle, person=person, status=MembershipRequest.Status.PENDING
    )


@dataclass
class Update:
    """One line of a circle's "recent updates"."""

    day: date
    kind: str  # joined, left, role_changed
    membership: CircleMembership
    previous_role: StrOrPromise = ""


def recent_updates(user: AnyUser | None, circle: Circle, *, limit: int = 10) -> list[Update]:
    """Who joined, left or changed role lately, read from the membership rows themselves.

    A role change is a row that ended the day before another row of the same person started;
    both show as one "role changed" line."""
    today = network_today()
    rows = list(
        _of_visible_people(CircleMembership.objects.filter(circle=circle), user)
        .filter(start_date__lte=today)
        .annotate(last_change=Greatest("start_date", Coalesce("end_date", "start_date")))
        .select_related("person__organisation")
        .order_by("-last_change", "-id")[: limit * 3]
    )
    ended: dict[tuple[int, date], CircleMembership] = {
        (row.person_id, row.end_date): row
        for row in rows
        if row.end_date is not None and row.end_date < today
    }
    labels = dict(CircleMembership.Role.choices)
    updates: list[Update] = []
    successors = set()
    for row in rows:
        previous = ended.get((row.person_id, row.start_date - timedelta(days=1)))
        if previous is not None and previous.role != row.role:
            label = labels.get(previous.role, "")
            updates.append(Update(row.start_date, "role_changed", row, label))
            successors.add(previous.pk)
        elif row.start_date <= today:
            updates.append(Update(row.start_date, "joined", row))
    for (_person_id, end_date), ended_row in ended.items():
        if ended_row.pk not in successors:
            updates.append(Update(end_date + timedelta(days=1), "left", ended_row))
    updates.sort(key=lambda u: (u.day, u.membership.pk), reverse=True)
    return updates[:limit]
