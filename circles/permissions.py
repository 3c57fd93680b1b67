"""Who may do what with circles: plain functions used by pages and the API alike."""

from __future__ import annotations

from circles.models import Circle, CircleMembership
from members.permissions import is_network_admin, person_of


def is_coordinator(user, circle: Circle) -> bool:
    """A current coordinator of this circle."""
    person = person_of(user)
    if person is None:
        return False
    return (
        CircleMembership.objects.current()
        .filter(circle=circle, person=person, role=CircleMembership.Role.COORDINATOR)
        .exists()
    )


def coordinated_circles(user):
    """The circles this user currently coordinates (a queryset; empty for visitors)."""
    person = person_of(user)
    if person is None:
        return Circle.objects.none()
    return Circle.objects.filter(
        memberships__in=CircleMembership.objects.current().filter(
            person=person, role=CircleMembership.Role.COORDINATOR
        )
    ).distinct()


def can_edit_circle(user, circle: Circle) -> bool:
    return is_network_admin(user) or is_coordinator(user, circle)


def can_manage_members(user, circle: Circle) -> bool:
    return is_network_admin(user) or is_coordinator(user, circle)


def can_create_circle(user) -> bool:
    return is_network_admin(user)


def can_request_membership(user) -> bool:
    """People of the network ask to join or leave circles (network admins without a person
    are added by a coordinator instead)."""
    return person_of(user) is not None


def can_decide_request(user, request) -> bool:
    return can_manage_members(user, request.circle)


def can_withdraw_request(user, request) -> bool:
    person = person_of(user)
    return person is not None and person.pk == request.person_id
