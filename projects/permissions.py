"""Who may do what with job opportunities: plain functions used by pages and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.db.models import QuerySet

from accounts.models import User
from circles.models import Circle
from circles.permissions import coordinated_circles, is_coordinator
from members.permissions import is_member, is_network_admin, person_of
from projects.models import Opportunity, Project, TeamMembership

if TYPE_CHECKING:
    from accounts.models import AnyUser

# Statuses in which people of the network may still say they are interested.
INTEREST_STATUSES = frozenset({Opportunity.Status.OPEN, Opportunity.Status.MATCHING})
# Statuses after which an opportunity is history: nobody edits it any more.
FINAL_STATUSES = frozenset({Opportunity.Status.CLOSED, Opportunity.Status.CANCELLED})


def can_post_in(user: AnyUser | None, circle: Circle) -> TypeGuard[User]:
    """A current coordinator of the posting circle, or a network admin."""
    return is_network_admin(user) or is_coordinator(user, circle)


def can_post(user: AnyUser | None) -> TypeGuard[User]:
    """Whether the user may post in at least one circle (shows the "post" link and form)."""
    return is_network_admin(user) or coordinated_circles(user).exists()


def circles_to_post_in(user: AnyUser | None) -> QuerySet[Circle]:
    if is_network_admin(user):
        return Circle.objects.filter(status=Circle.Status.ACTIVE)
    return coordinated_circles(user)


def can_edit_opportunity(user: AnyUser | None, opportunity: Opportunity) -> TypeGuard[User]:
    return is_network_admin(user) or is_coordinator(user, opportunity.circle)


def can_transition_opportunity(user: AnyUser | None, opportunity: Opportunity) -> TypeGuard[User]:
    return can_edit_opportunity(user, opportunity)


def can_view_opportunity(user: AnyUser | None, opportunity: Opportunity) -> bool:
    if opportunity.status == Opportunity.Status.DRAFT:
        return can_edit_opportunity(user, opportunity)
    if opportunity.visibility == Opportunity.Visibility.PUBLIC:
        return True
    return is_member(user)


def can_see_interested_people(user: AnyUser | None, opportunity: Opportunity) -> TypeGuard[User]:
    return can_edit_opportunity(user, opportunity)


def can_express_interest(user: AnyUser | None, opportunity: Opportunity) -> TypeGuard[User]:
    """A person of the network, on an open (or matching) opportunity they may see."""
    return (
        person_of(user) is not None
        and opportunity.status in INTEREST_STATUSES
        and can_view_opportunity(user, opportunity)
    )


# Projects and teams -----------------------------------------------------------------------------
def is_project_lead(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and project.leads.filter(pk=person.pk).exists()


def can_manage_project(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    """Run matching, swap candidates, send invitations, edit the team: a coordinator of the
    project's circle, one of its leads, or a network admin."""
    return (
        is_network_admin(user)
        or is_coordinator(user, project.circle)
        or is_project_lead(user, project)
    )


def can_start_project(user: AnyUser | None) -> TypeGuard[User]:
    """A standalone project (network work, not from an opportunity): whoever may post an
    opportunity, in one of the circles they coordinate."""
    return can_post(user)


def can_edit_project(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    """Its fields (phase, status…) and its team roles: whoever manages the project."""
    return can_manage_project(user, project)


def can_run_matching(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    return can_manage_project(user, project) and project.status in (
        Project.Status.FORMING,
        Project.Status.ACTIVE,
    )


def can_view_project(user: AnyUser | None, project: Project) -> bool:
    if project.visibility == Opportunity.Visibility.PUBLIC:
        return True
    return is_member(user) or can_manage_project(user, project)


def can_form_team(user: AnyUser | None, opportunity: Opportunity) -> TypeGuard[User]:
    """Forming a project from an opportunity: whoever may edit it, while it is being staffed."""
    return can_edit_opportunity(user, opportunity) and opportunity.status in (
        Opportunity.Status.OPEN,
        Opportunity.Status.MATCHING,
        Opportunity.Status.TEAM_PROPOSED,
    )


def can_respond(user: AnyUser | None, membership: TeamMembership) -> TypeGuard[User]:
    """Only the invited person answers an invitation."""
    person = person_of(user)
    return (
        person is not None
        and membership.person_id == person.pk
        and membership.status == TeamMembership.Status.INVITED
    )
