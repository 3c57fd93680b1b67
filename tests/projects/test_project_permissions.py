"""Who may start a project, edit it and its team roles, and close an opportunity's staffing
with roles left unfilled, through the pages and through the API.

Each row is an action, each column a role, each cell what that role gets (a status code;
LOGIN: the page sends them to log in; SAVED: the page did it and redirected).

Roles: a visitor; a member who manages nothing; the coordinator of the circle (Job
opportunities) that coordinates the projects; the coordinator of another circle (who may start
projects in their own circle, not in this one); a lead of the projects (not a coordinator); a
network admin (no profile); read and write tokens acting as the coordinator (pages ignore
tokens). The projects are for network members only: a standalone one with a "Writer" role,
and the team of an opportunity whose invitations went out, one of its roles still empty.
Every write the table forbids leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from circles.models import Circle
from projects.models import Opportunity, OpportunityTransition, Project, TeamRole
from projects.services.teams import project_create, project_from_opportunity
from tests import matrix
from tests.matrix import LOGIN, SAVED
from tests.projects.conftest import TEAM_ROLES
from tests.projects.factories import TeamMembershipFactory

#                                 visitor member coord  other  lead   admin  tok-r  tok-w
MATRIX = {
    "page: open new project": (LOGIN, 403, 200, 200, 403, 200, LOGIN, LOGIN),
    # Another circle's coordinator may not pick this circle: the form says so.
    "page: start project": (LOGIN, 403, SAVED, 400, 403, SAVED, LOGIN, LOGIN),
    "api: start project": (401, 403, 201, 403, 403, 201, 403, 201),
    "page: open edit form": (LOGIN, 403, 200, 403, 200, 200, LOGIN, LOGIN),
    "page: edit project": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: edit project": (401, 403, 200, 403, 200, 200, 403, 200),
    "page: open roles": (LOGIN, 403, 200, 403, 200, 200, LOGIN, LOGIN),
    "page: add role": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: add role": (401, 403, 201, 403, 201, 201, 403, 201),
    "page: edit role": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: edit role": (401, 403, 200, 403, 200, 200, 403, 200),
    "page: remove role": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: remove role": (401, 403, 204, 403, 204, 204, 403, 204),
    # Moving the opportunity is its circle's coordinators' (and admins'), not the leads'.
    "page: close staffing": (LOGIN, 403, SAVED, 403, 403, SAVED, LOGIN, LOGIN),
    "api: close staffing": (401, 403, 200, 403, 403, 200, 403, 200),
}

READS = {"page: open new project", "page: open edit form", "page: open roles"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    circle: Circle
    standalone: Project
    role: TeamRole
    opportunity: Opportunity


@pytest.fixture
def world(staffing, circle, coordinator, lead, team_cast) -> World:
    opportunity, people = staffing
    standalone = project_create(
        actor=coordinator.user,
        circle=circle,
        data={"name": "Network handbook"},
        roles=[{"title": "Writer", "phase": "design", "hours_per_week": 5}],
    )
    team = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.TEAM_PROPOSED)
    TeamMembershipFactory(role=team.roles.get(title="Designer"), person=people["Best Designer"])
    standalone.leads.add(lead)
    team.leads.add(lead)
    return World(
        circle=circle,
        standalone=standalone,
        role=standalone.roles.get(),
        opportunity=opportunity,
        users=team_cast.users,
        secrets=team_cast.secrets,
    )


def _snapshot() -> tuple:
    return (
        sorted(Project.objects.values_list("pk", "name", "phase", "status")),
        sorted(TeamRole.objects.values_list("pk", "title", "hours_per_week")),
        sorted(Opportunity.objects.values_list("pk", "status")),
        OpportunityTransition.objects.count(),
    )


def _role_fields(prefix: str, **changes) -> dict:
    data = {"title": "Editor", "phase": "design", "hours_per_week": "4"}
    for row in range(4):
        data |= {f"skill_{row}": "", f"min_level_{row}": "2", f"weight_{row}": "3"}
    data |= changes
    return {f"{prefix}{k}": v for k, v in data.items()}


def _run(action: str, world: World, page: Client, api: APIClient) -> matrix.Outcome:
    p, role, opportunity = world.standalone, world.role, world.opportunity
    project_fields = {
        "name": "Network handbook",
        "phase": "design",
        "status": "active",
        "visibility": "members",
        "min_overlap_hours": "2",
        "min_coops": "2",
    }
    match action:
        case "page: open new project":
            return matrix.outcome(page.get(reverse("projects:project_new")))
        case "page: start project":
            data = project_fields | {"name": "Matrix project", "circle": str(world.circle.pk)}
            return matrix.outcome(page.post(reverse("projects:project_new"), data))
        case "api: start project":
            body = {"circle": world.circle.slug, "name": "Matrix project"}
            return api.post("/api/v1/projects/", body, format="json").status_code
        case "page: open edit form":
            return matrix.outcome(page.get(reverse("projects:project_edit", args=[p.pk])))
        case "page: edit project":
            return matrix.outcome(
                page.post(reverse("projects:project_edit", args=[p.pk]), project_fields)
            )
        case "api: edit project":
            body = {"phase": "design"}
            return api.patch(f"/api/v1/projects/{p.pk}/", body, format="json").status_code
        case "page: open roles":
            return matrix.outcome(page.get(reverse("projects:project_roles", args=[p.pk])))
        case "page: add role":
            url = reverse("projects:project_roles", args=[p.pk])
            return matrix.outcome(page.post(url, _role_fields("new-")))
        case "api: add role":
            body = {"project": p.pk, "title": "Editor", "hours_per_week": 4}
            return api.post("/api/v1/team-roles/", body, format="json").status_code
        case "page: edit role":
            url = reverse("projects:team_role_edit", args=[p.pk, role.pk])
            return matrix.outcome(page.post(url, _role_fields("")))
        case "api: edit role":
            body = {"title": "Editor"}
            return api.patch(f"/api/v1/team-roles/{role.pk}/", body, format="json").status_code
        case "page: remove role":
            url = reverse("projects:team_role_remove", args=[p.pk, role.pk])
            return matrix.outcome(page.post(url))
        case "api: remove role":
            return api.delete(f"/api/v1/team-roles/{role.pk}/").status_code
        case "page: close staffing":
            url = reverse("projects:opportunity_transition", args=[opportunity.pk])
            return matrix.outcome(page.post(url, {"to_status": "staffed", "leave_unfilled": "on"}))
        case "api: close staffing":
            url = f"/api/v1/opportunities/{opportunity.pk}/transition/"
            body = {"to_status": "staffed", "leave_unfilled": True}
            return api.post(url, body, format="json").status_code
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, TEAM_ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page, api) == expected
