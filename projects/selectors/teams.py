"""Reads of projects and their teams shared by the pages, the API and the staffing services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from circles.permissions import coordinated_circles
from members.models import Person
from members.permissions import is_member, is_network_admin, person_of
from projects.models import Opportunity, Project, TeamMembership, TeamRole, TeamRoleSkill

if TYPE_CHECKING:
    from accounts.models import AnyUser


def projects_visible_to(user: AnyUser | None) -> QuerySet[Project]:
    """Admins and members see every project; visitors the public ones."""
    if is_member(user):
        return Project.objects.all()
    return Project.objects.filter(visibility=Opportunity.Visibility.PUBLIC)


def _live_memberships() -> Prefetch[str, QuerySet[TeamMembership], str]:
    return Prefetch(
        "memberships",
        queryset=TeamMembership.objects.filter(status__in=TeamMembership.LIVE)
        .select_related("person__organisation")
        .order_by("id"),
        to_attr="live_memberships",
    )


def _team_roles() -> Prefetch[str, QuerySet[TeamRole], str]:
    return Prefetch(
        "roles",
        queryset=TeamRole.objects.prefetch_related(
            Prefetch(
                "skills", queryset=TeamRoleSkill.objects.select_related("skill").order_by("id")
            ),
            "languages",
            _live_memberships(),
        ).order_by("position", "id"),
    )


def project_list(user: AnyUser | None) -> QuerySet[Project]:
    return (
        projects_visible_to(user)
        .select_related("circle", "lead_coop", "opportunity")
        .prefetch_related(_team_roles())
        .order_by("-created_at", "-id")
    )


def project_detail(user: AnyUser | None) -> QuerySet[Project]:
    return (
        projects_visible_to(user)
        .select_related("circle", "lead_coop", "source_coop", "client_organisation", "opportunity")
        .prefetch_related(_team_roles(), "leads__organisation")
    )


def team_roles(user: AnyUser | None) -> QuerySet[TeamRole]:
    return (
        TeamRole.objects.filter(project__in=projects_visible_to(user))
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "skills", queryset=TeamRoleSkill.objects.select_related("skill").order_by("id")
            ),
            "languages",
        )
        .order_by("project_id", "position", "id")
    )


def team_memberships(user: AnyUser | None) -> QuerySet[TeamMembership]:
    """Members see accepted teams of visible projects; their own invitations; the managers of
    a project everything of it. Proposals are for the managers only."""
    queryset = TeamMembership.objects.select_related(
        "person__organisation", "role", "project"
    ).order_by("project_id", "role__position", "role_id", "id")
    if is_network_admin(user):
        return queryset
    visible = Q(project__in=projects_visible_to(user), status=TeamMembership.Status.ACCEPTED)
    person = person_of(user)
    if person is not None:
        visible |= Q(person=person) & ~Q(status=TeamMembership.Status.PROPOSED)
        managed = Project.objects.filter(
            Q(circle__in=coordinated_circles(user).values("pk")) | Q(leads=person)
        ).values("pk")
        visible |= Q(project__in=managed)
    return queryset.filter(visible)


def my_teams(user: AnyUser | None) -> QuerySet[TeamMembership]:
    person = person_of(user)
    if person is None:
        return TeamMembership.objects.none()
    return (
        TeamMembership.objects.filter(person=person)
        .exclude(status=TeamMembership.Status.PROPOSED)
        .select_related("project__circle", "role")
        .order_by("-created_at", "-id")
    )


def person_teams(user: AnyUser | None, person: Person) -> QuerySet[TeamMembership]:
    """A person's accepted places in teams of projects the reader may see."""
    return (
        TeamMembership.objects.filter(
            person=person,
            status=TeamMembership.Status.ACCEPTED,
            project__in=projects_visible_to(user),
        )
        .select_related("project", "role")
        .order_by("-created_at", "-id")
    )


def open_roles(project: Project) -> QuerySet[TeamRole]:
    """Roles nobody has accepted or been invited to."""
    taken = TeamMembership.objects.filter(role=OuterRef("pk"), status__in=TeamMembership.COMMITTED)
    return project.roles.filter(filled=False).exclude(Exists(taken)).order_by("position", "id")
