"""Who may run matching, swap, invite and see projects, through the pages and through the API.

Each row is an action, each column a role, each cell what that role gets (a status code;
LOGIN: the page sends them to log in; SAVED: the page did it and redirected).

Roles: a visitor; a member who manages nothing; the coordinator of the posting circle; the
coordinator of another circle; a lead of the project (not a coordinator); a network admin (no
profile); read and write tokens acting as the posting circle's coordinator (pages ignore
tokens). The project is for network members only, formed from an open opportunity, with a
finished matching run. Every write the table forbids leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Person
from projects.models import MatchRun, Opportunity, Project, TeamMembership
from projects.services.matching_runs import match_run_claim, match_run_execute
from projects.services.staffing import match_run_request
from projects.services.teams import project_from_opportunity
from tests import matrix
from tests.matrix import LOGIN, SAVED
from tests.projects.conftest import TEAM_ROLES
from tests.projects.factories import OpportunityFactory

#                               visitor member coord  other  lead   admin  tok-r  tok-w
MATRIX = {
    "page: matching view": (LOGIN, 403, 200, 403, 200, 200, LOGIN, LOGIN),
    "page: run matching": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: run matching": (401, 403, 202, 403, 202, 202, 403, 202),
    "api: poll the run": (404, 404, 200, 404, 200, 200, 200, 200),
    "page: swap a candidate": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "page: send invitations": (LOGIN, 403, SAVED, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: send invitations": (401, 403, 200, 403, 200, 200, 403, 200),
    "page: see the project": (404, 200, 200, 200, 200, 200, 404, 404),
    "api: see the project": (404, 200, 200, 200, 200, 200, 200, 200),
    "page: form the team": (LOGIN, 403, SAVED, 403, 403, SAVED, LOGIN, LOGIN),
}

READS = {
    "page: matching view",
    "api: poll the run",
    "page: see the project",
    "api: see the project",
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    project: Project
    run: MatchRun
    opportunity: Opportunity
    alternate: Person


@pytest.fixture
def world(staffing, coordinator, lead, team_cast) -> World:
    opportunity, people = staffing
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    run = match_run_request(actor=coordinator.user, project=project)
    match_run_claim(run_id=run.pk)
    run = match_run_execute(run_id=run.pk)
    project.leads.add(lead)
    # A second opportunity of the circle, for "form the team".
    spare = OpportunityFactory(circle=opportunity.circle, posted_by=coordinator, title="Spare")
    return World(
        project=project,
        run=run,
        opportunity=spare,
        alternate=people["Second Designer"],
        users=team_cast.users,
        secrets=team_cast.secrets,
    )


def _snapshot() -> tuple:
    return (
        MatchRun.objects.count(),
        sorted(TeamMembership.objects.values_list("role_id", "person_id", "status")),
        Project.objects.count(),
    )


def _run(action: str, world: World, page: Client, api: APIClient) -> matrix.Outcome:
    p = world.project
    match action:
        case "page: matching view":
            return matrix.outcome(page.get(reverse("projects:matching", args=[p.pk])))
        case "page: run matching":
            return matrix.outcome(page.post(reverse("projects:matching_run", args=[p.pk])))
        case "api: run matching":
            return api.post(f"/api/v1/projects/{p.pk}/match/", {}, format="json").status_code
        case "api: poll the run":
            return api.get(f"/api/v1/match-runs/{world.run.pk}/").status_code
        case "page: swap a candidate":
            role = p.roles.get(title="Designer")
            data = {"role": role.pk, "person": world.alternate.pk}
            return matrix.outcome(page.post(reverse("projects:matching_swap", args=[p.pk]), data))
        case "page: send invitations":
            return matrix.outcome(page.post(reverse("projects:matching_invite", args=[p.pk])))
        case "api: send invitations":
            return api.post(f"/api/v1/projects/{p.pk}/invite/", {}, format="json").status_code
        case "page: see the project":
            return page.get(p.get_absolute_url()).status_code
        case "api: see the project":
            return api.get(f"/api/v1/projects/{p.pk}/").status_code
        case "page: form the team":
            url = reverse("projects:project_from_opportunity", args=[world.opportunity.pk])
            return matrix.outcome(page.post(url))
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, TEAM_ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page, api) == expected
