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

from accounts.models import ApiToken
from accounts.services import token_create
from projects.models import MatchRun, Project, TeamMembership
from projects.services.matching_runs import match_run_claim, match_run_execute
from projects.services.staffing import match_run_request
from projects.services.teams import project_from_opportunity
from tests.factories import PersonFactory

LOGIN, SAVED = "LOGIN", "SAVED"
ROLES = (
    "visitor",
    "member",
    "coordinator",
    "other_coordinator",
    "lead",
    "network_admin",
    "token_read",
    "token_write",
)

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

CASES = [
    pytest.param(action, role, expected, id=f"{action} | {role} -> {expected}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@dataclass
class World:
    project: Project
    run: MatchRun
    opportunity: object
    alternate: object
    users: dict
    secrets: dict

    def clients(self, role: str) -> tuple[Client, APIClient]:
        page, api = Client(), APIClient()
        if role in self.secrets:
            header = f"Bearer {self.secrets[role]}"
            page = Client(headers={"Authorization": header})
            api.credentials(HTTP_AUTHORIZATION=header)
        elif role != "visitor":
            page.force_login(self.users[role])
            api.force_login(self.users[role])
        return page, api


@pytest.fixture
def world(staffing, member, coordinator, other_coordinator, network_admin, other_coop):
    opportunity, people = staffing
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    run = match_run_request(actor=coordinator.user, project=project)
    match_run_claim(run_id=run.pk)
    run = match_run_execute(run_id=run.pk)
    lead = PersonFactory(organisation=other_coop, display_name="Lea Lead")
    project.leads.add(lead)
    # A second opportunity of the circle, for "form the team".
    from tests.projects.factories import OpportunityFactory

    spare = OpportunityFactory(circle=opportunity.circle, posted_by=coordinator, title="Spare")
    users = {
        "member": member.user,
        "coordinator": coordinator.user,
        "other_coordinator": other_coordinator.user,
        "lead": lead.user,
        "network_admin": network_admin,
    }
    secrets = {}
    for role, scope in (("token_read", ApiToken.Scope.READ), ("token_write", ApiToken.Scope.WRITE)):
        _token, secrets[role] = token_create(
            actor=network_admin, user=coordinator.user, name=role, scope=scope
        )
    return World(project, run, spare, people["Second Designer"], users, secrets)


def _outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("account_login")) else SAVED
    return response.status_code


def _snapshot():
    return (
        MatchRun.objects.count(),
        sorted(TeamMembership.objects.values_list("role_id", "person_id", "status")),
        Project.objects.count(),
    )


def _run(action: str, world: World, page: Client, api: APIClient):
    p = world.project
    match action:
        case "page: matching view":
            return _outcome(page.get(reverse("projects:matching", args=[p.pk])))
        case "page: run matching":
            return _outcome(page.post(reverse("projects:matching_run", args=[p.pk])))
        case "api: run matching":
            return api.post(f"/api/v1/projects/{p.pk}/match/", {}, format="json").status_code
        case "api: poll the run":
            return api.get(f"/api/v1/match-runs/{world.run.pk}/").status_code
        case "page: swap a candidate":
            role = p.roles.get(title="Designer")
            data = {"role": role.pk, "person": world.alternate.pk}
            return _outcome(page.post(reverse("projects:matching_swap", args=[p.pk]), data))
        case "page: send invitations":
            return _outcome(page.post(reverse("projects:matching_invite", args=[p.pk])))
        case "api: send invitations":
            return api.post(f"/api/v1/projects/{p.pk}/invite/", {}, format="json").status_code
        case "page: see the project":
            return page.get(p.get_absolute_url()).status_code
        case "api: see the project":
            return api.get(f"/api/v1/projects/{p.pk}/").status_code
        case "page: form the team":
            url = reverse("projects:project_from_opportunity", args=[world.opportunity.pk])
            return _outcome(page.post(url))
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(world, action, role, expected):
    before = _snapshot()
    page, api = world.clients(role)

    outcome = _run(action, world, page, api)

    assert outcome == expected
    if outcome not in (SAVED, 200, 202) or action.startswith(
        ("page: see", "api: see", "api: poll")
    ):
        assert _snapshot() == before, "a refused write (or a read) changed the database"
