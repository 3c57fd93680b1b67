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

from circles.models import Circle
from members.models import Skill
from projects.models import Interest, Opportunity, OpportunityTransition
from tests import matrix
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory
from tests.projects.helpers import form_data

S = Opportunity.Status

ROLES = ("visitor", "member", "coordinator", "other_coordinator", "network_admin", *TOKEN_ROLES)

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

READS = {
    "page: open the post form",
    "page: see a draft",
    "api: see a draft",
    "page: see a members-only one",
    "api: see a members-only one",
    "page: see a public one",
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    circle: Circle
    opportunity: Opportunity
    draft: Opportunity
    public: Opportunity
    skill: Skill


@pytest.fixture
def world(circle, member, coordinator, other_coordinator, network_admin, django_skill) -> World:
    opportunity = OpportunityFactory(circle=circle, posted_by=coordinator, title="Portal")
    RoleSkillFactory(role=RoleFactory(opportunity=opportunity), skill=django_skill)
    draft = OpportunityFactory(circle=circle, posted_by=coordinator, status=S.DRAFT)
    public = OpportunityFactory(
        circle=circle, posted_by=coordinator, visibility=Opportunity.Visibility.PUBLIC
    )
    return World(
        circle=circle,
        opportunity=opportunity,
        draft=draft,
        public=public,
        skill=django_skill,
        users={
            "member": member.user,
            "coordinator": coordinator.user,
            "other_coordinator": other_coordinator.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(created_by=network_admin, user=coordinator.user),
    )


def _snapshot() -> tuple:
    return (
        sorted(Opportunity.objects.values_list("pk", "title", "status")),
        Interest.objects.count(),
        OpportunityTransition.objects.count(),
    )


def _run(action: str, world: World, page: Client, api: APIClient) -> matrix.Outcome:
    o = world.opportunity
    roles = [("Developer", 10, [(world.skill, 2)])]
    api_role = {
        "title": "Developer",
        "hours_per_week": 10,
        "skills": [{"skill": world.skill.slug, "min_level": 2}],
    }
    match action:
        case "page: open the post form":
            return matrix.outcome(page.get(reverse("projects:opportunity_new")))
        case "page: post in this circle":
            data = form_data(circle=world.circle, roles=roles, title="New one")
            return matrix.outcome(page.post(reverse("projects:opportunity_new"), data))
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
            return matrix.outcome(page.post(url, data))
        case "api: edit":
            url = f"/api/v1/opportunities/{o.pk}/"
            return api.patch(url, {"title": "Renamed"}, format="json").status_code
        case "page: move to matching":
            url = reverse("projects:opportunity_transition", args=[o.pk])
            return matrix.outcome(page.post(url, {"to_status": "matching"}))
        case "api: move to matching":
            url = f"/api/v1/opportunities/{o.pk}/transition/"
            return api.post(url, {"to_status": "matching"}, format="json").status_code
        case "page: express interest":
            url = reverse("projects:interest", args=[o.pk])
            return matrix.outcome(page.post(url, {"note": "Me!"}))
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
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page, api) == expected


@pytest.mark.django_db
def test_api_errors_for_forbidden_writes_are_problem_json(world):
    _page, api = world.clients("member")
    response = api.patch(f"/api/v1/opportunities/{world.opportunity.pk}/", {"title": "x"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 403
