"""Who may do what with opportunities, through the pages and through the API.

Each row is an action, each column a role, each cell what that role gets:

- a status code (200, 201, 204, 401, 403, 404),
- LOGIN: the page sends them to the login page (302),
- SAVED: the page saved and redirected (302 elsewhere).

Roles: a visitor; a member of the network who coordinates nothing; the coordinator of the posting
circle; the coordinator of another circle; a network admin (no profile of their own); a read
token and a write token, both acting as the posting circle's coordinator. Pages ignore tokens, so
on pages a token holder is a visitor.

The opportunity acted on is open, for network members only, in the coordinator's circle. Every
write the table forbids leaves the database exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create
from projects.models import Interest, Opportunity, OpportunityTransition
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory
from tests.projects.helpers import form_data

LOGIN, SAVED = "LOGIN", "SAVED"
S = Opportunity.Status

ROLES = (
    "visitor",
    "member",
    "coordinator",
    "other_coordinator",
    "network_admin",
    "token_read",
    "token_write",
)

#                                  visitor member coord  other   admin   tok-r   tok-w
MATRIX = {
    "page: open the post form": (LOGIN, 403, 200, 200, 200, LOGIN, LOGIN),
    # The other circle's coordinator is offered only their own circle: the form refuses this one.
    "page: post in this circle": (LOGIN, 403, SAVED, 200, SAVED, LOGIN, LOGIN),
    "api: post in this circle": (401, 403, 201, 403, 201, 403, 201),
    "page: edit": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: edit": (401, 403, 200, 403, 200, 403, 200),
    "page: move to matching": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: move to matching": (401, 403, 200, 403, 200, 403, 200),
    # A network admin without a profile has nobody to be interested as.
    "page: express interest": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: express interest": (401, 201, 201, 201, 403, 403, 201),
    "page: see a draft": (404, 404, 200, 404, 200, 404, 404),
    "api: see a draft": (404, 404, 200, 404, 200, 200, 200),
    "page: see a members-only one": (404, 200, 200, 200, 200, 404, 404),
    "api: see a members-only one": (404, 200, 200, 200, 200, 200, 200),
    "page: see a public one": (200, 200, 200, 200, 200, 200, 200),
}

CASES = [
    pytest.param(action, role, expected, id=f"{action} | {role} -> {expected}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@dataclass
class World:
    circle: object
    opportunity: Opportunity
    draft: Opportunity
    public: Opportunity
    skill: object
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
def world(circle, member, coordinator, other_coordinator, network_admin, django_skill):
    opportunity = OpportunityFactory(circle=circle, posted_by=coordinator, title="Portal")
    RoleSkillFactory(role=RoleFactory(opportunity=opportunity), skill=django_skill)
    draft = OpportunityFactory(circle=circle, posted_by=coordinator, status=S.DRAFT)
    public = OpportunityFactory(
        circle=circle, posted_by=coordinator, visibility=Opportunity.Visibility.PUBLIC
    )
    users = {
        "member": member.user,
        "coordinator": coordinator.user,
        "other_coordinator": other_coordinator.user,
        "network_admin": network_admin,
    }
    secrets = {}
    for role, scope in (("token_read", ApiToken.Scope.READ), ("token_write", ApiToken.Scope.WRITE)):
        _token, secrets[role] = token_create(
            actor=network_admin, user=coordinator.user, name=role, scope=scope
        )
    return World(circle, opportunity, draft, public, django_skill, users, secrets)


def _page_outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("account_login")) else SAVED
    return response.status_code


def _snapshot():
    return (
        sorted(Opportunity.objects.values_list("pk", "title", "status")),
        Interest.objects.count(),
        OpportunityTransition.objects.count(),
    )


def _run(action: str, world: World, page: Client, api: APIClient):
    o = world.opportunity
    roles = [("Developer", 10, [(world.skill, 2)])]
    api_role = {
        "title": "Developer",
        "hours_per_week": 10,
        "skills": [{"skill": world.skill.slug, "min_level": 2}],
    }
    match action:
        case "page: open the post form":
            return _page_outcome(page.get(reverse("projects:opportunity_new")))
        case "page: post in this circle":
            data = form_data(circle=world.circle, roles=roles, title="New one")
            return _page_outcome(page.post(reverse("projects:opportunity_new"), data))
        case "api: post in this circle":
            body = {
                "circle": world.circle.slug,
                "title": "New one",
                "description": "Work.",
                "roles": [api_role],
            }
            return api.post("/api/v1/opportunities/", body, format="json").status_code
        case "page: edit":
            data = form_data(roles=roles, initial_roles=1, title="Renamed")
            url = reverse("projects:opportunity_edit", args=[o.pk])
            return _page_outcome(page.post(url, data))
        case "api: edit":
            url = f"/api/v1/opportunities/{o.pk}/"
            return api.patch(url, {"title": "Renamed"}, format="json").status_code
        case "page: move to matching":
            url = reverse("projects:opportunity_transition", args=[o.pk])
            return _page_outcome(page.post(url, {"to_status": "matching"}))
        case "api: move to matching":
            url = f"/api/v1/opportunities/{o.pk}/transition/"
            return api.post(url, {"to_status": "matching"}, format="json").status_code
        case "page: express interest":
            url = reverse("projects:interest", args=[o.pk])
            return _page_outcome(page.post(url, {"note": "Me!"}))
        case "api: express interest":
            url = f"/api/v1/opportunities/{o.pk}/interest/"
            return api.post(url, {"note": "Me!"}, format="json").status_code
        case "page: see a draft":
            return page.get(world.draft.get_absolute_url()).status_code
        case "api: see a draft":
            return api.get(f"/api/v1/opportunities/{world.draft.pk}/").status_code
        case "page: see a members-only one":
            return page.get(o.get_absolute_url()).status_code
        case "api: see a members-only one":
            return api.get(f"/api/v1/opportunities/{o.pk}/").status_code
        case "page: see a public one":
            return page.get(world.public.get_absolute_url()).status_code
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(world, action, role, expected):
    before = _snapshot()
    page, api = world.clients(role)

    outcome = _run(action, world, page, api)

    assert outcome == expected
    succeeded = outcome in (SAVED, 201) or (action.startswith("api:") and outcome == 200)
    if not succeeded:
        assert _snapshot() == before, "a refused write changed the database"


@pytest.mark.django_db
def test_api_errors_for_forbidden_writes_are_problem_json(world):
    _page, api = world.clients("member")
    response = api.patch(f"/api/v1/opportunities/{world.opportunity.pk}/", {"title": "x"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 403
