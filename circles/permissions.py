"""Who may do what with circles: plain functions used by pages and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.db.models import QuerySet

from accounts.models import User
from circles.hooks import is_guarding_circle
from circles.models import Circle, CircleMembership, MembershipRequest
from members.permissions import is_network_admin, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser


def is_coordinator(user: AnyUser | None, circle: Circle) -> TypeGuard[User]:
    """A current coordinator of this circle."""
    person = person_of(user)
    if person is None:
        return False
    return (
        CircleMembership.objects.current()
        .filter(circle=circle, person=person, role=CircleMembership.Role.COORDINATOR)
        .exists()
    )


def coordinated_circles(user: AnyUser | None) -> QuerySet[Circle]:
    """The circles this user currently coordinates (a queryset; empty for visitors)."""
    person = person_of(user)
    if person is None:
        return Circle.objects.none()
    return Circle.objects.filter(
        memberships__in=CircleMembership.objects.current().filter(
            person=person, role=CircleMembership.Role.COORDINATOR
        )
    ).distinct()


def can_edit_circle(user: AnyUser | None, circle: Circle) -> TypeGuard[User]:
    return is_network_admin(user) or is_coordinator(user, circle)


def can_manage_members(user: AnyUser | None, circle: Circle) -> TypeGuard[User]:
    return is_network_admin(user) or is_coordinator(user, circle)


def can_create_circle(user: AnyUser | None) -> TypeGuard[User]:
    return is_network_admin(user)


def can_request_membership(user: AnyUser | None) -> TypeGuard[User]:
    """People of the network ask to join or leave circles (network admins without a person
    are added by a coordinator instead)."""
    return person_of(user) is not None


def can_decide_request(user: AnyUser | None, request: MembershipRequest) -> TypeGuard[User]:
    return can_manage_members(user, request.circle)


def can_withdraw_request(user: AnyUser | None, request: MembershipRequest) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and person.pk == request.person_id


def grants_power(circle: Circle, role: str, *, current_role: str | None = None) -> bool:
    """Whether giving someone `role` in `circle` (who holds `current_role` there now, or nothing)
    hands them a guarding role: coordinator anywhere, or any place in a circle whose membership
    guards money or data (`circles.hooks.register_guarding_circle`: the finance circle). Pages
    and the API ask for re-authentication first (accounts.reauth)."""
    coordinator = CircleMembership.Role.COORDINATOR
    if role == coordinator and current_role != coordinator:
        return True
    return current_role is None and is_guarding_circle(circle)
