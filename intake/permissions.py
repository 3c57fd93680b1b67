"""Who may triage requests for help: the current coordinators of a circle that triages them, and
network admins. Pages and the API both ask these functions."""

from __future__ import annotations

from django.db.models import QuerySet

from circles.models import Circle, CircleMembership
from members.permissions import is_network_admin, person_of


def triage_circles(user) -> QuerySet[Circle]:
    """The circles in whose name this user may triage (and post a converted request)."""
    circles = Circle.objects.filter(triages_help_requests=True)
    if is_network_admin(user):
        return circles
    person = person_of(user)
    if person is None:
        return Circle.objects.none()
    return circles.filter(
        memberships__in=CircleMembership.objects.current().filter(
            person=person, role=CircleMembership.Role.COORDINATOR
        )
    ).distinct()


def can_triage(user) -> bool:
    """May read requests (with their personal data), answer, decline and convert them."""
    if is_network_admin(user):
        return True
    if person_of(user) is None:
        return False
    return triage_circles(user).exists()


def can_view_help_request(user, help_request=None) -> bool:
    return can_triage(user)


def conversion_circles(user) -> QuerySet[Circle]:
    """The circles in whose name this user may turn a request into a draft opportunity: their
    triage circles, if they are a person (an opportunity is posted by a person, so an admin
    account without one converts nothing)."""
    if person_of(user) is None:
        return Circle.objects.none()
    return triage_circles(user)


def can_convert_into(user, circle: Circle) -> bool:
    """May turn a request into a draft opportunity posted by `circle`."""
    return conversion_circles(user).filter(pk=circle.pk).exists()
