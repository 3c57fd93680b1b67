"""The projects API: start a standalone project, edit its phase and status, add, change and
remove team roles, close staffing with the unfilled roles recorded; bad input as problem JSON."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from projects.models import Opportunity, OpportunityTransition, Project
from projects.services.teams import project_create, project_from_opportunity, team_role_add
from tests.projects.factories import TeamMembershipFactory

pytestmark = pytest.mark.django_db
S = Opportunity.Status


@pytest.fixture
def as_coordinator(api_client, coordinator):
    api_client.force_login(coordinator.user)
    return api_client


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def _body(circle, **changes) -> dict:
    return {
        "circle": circle.slug,
        "name": "Shared invoicing service",
        "phase": "development",
        "description": "One invoicing service for the small co-ops.",
        "roles": [
            {
                "title": "Backend developer",
                "hours_per_week": 15,
                "languages": ["en"],
                "skills": [{"skill": "django", "min_level": 3}],
            }
        ],
    } | changes


@pytest.fixture
def project(circle, coordinator):
    return project_create(
        actor=coordinator.user, circle=circle, data={"name": "Network handbook"}, roles=[]
    )


def test_a_coordinator_starts_a_standalone_project_with_its_roles(
    as_coordinator, circle, django_skill, english
):
    response = as_coordinator.post("/api/v1/projects/", _body(circle), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["opportunity"], data["phase"], data["status"]) == (None, "development", "forming")
    assert data["roles"][0]["title"] == "Backend developer"
    assert data["roles"][0]["languages"] == ["en"]
    assert data["roles"][0]["skills"][0]["skill"] == "django"
    assert AuditEvent.objects.filter(action="project.create").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phase": "later"}, "phase"),
        ({"name": ""}, "name"),
        ({"opportunity": 1}, "opportunity"),
        ({"start_date": "2030-05-01", "end_date": "2030-04-01"}, "end_date"),
        ({"roles": [{"title": "X", "hours_per_week": 99}]}, "roles"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    as_coordinator, circle, django_skill, english, changes, field
):
    response = as_coordinator.post("/api/v1/projects/", _body(circle, **changes), format="json")
    problem = _problem(response, 400)
    assert field in problem["errors"]
    assert not Project.objects.exists()


def test_a_member_cannot_start_a_project(api_client, member, circle, django_skill, english):
    api_client.force_login(member.user)
    response = api_client.post("/api/v1/projects/", _body(circle), format="json")
    _problem(response, 403)
    assert not Project.objects.exists()


def test_patching_the_phase_and_status(as_coordinator, project):
    url = f"/api/v1/projects/{project.pk}/"
    response = as_coordinator.patch(url, {"phase": "design", "status": "active"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["phase"], response.json()["status"]) == ("design", "active")
    _problem(as_coordinator.patch(url, {"status": "done"}, format="json"), 400)
    _problem(as_coordinator.patch(url, {"circle": "finance"}, format="json"), 400)


def test_team_roles_are_added_changed_and_removed(as_coordinator, project, django_skill):
    created = as_coordinator.post(
        "/api/v1/team-roles/",
        {"project": project.pk, "title": "Writer", "phase": "design", "hours_per_week": 5},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/team-roles/{created.json()['id']}/"

    changed = as_coordinator.patch(
        url, {"hours_per_week": 8, "skills": [{"skill": "django"}]}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["title"], changed.json()["hours_per_week"]) == ("Writer", 8)
    assert changed.json()["skills"][0]["skill"] == "django"
    _problem(as_coordinator.patch(url, {"hours_per_week": 0}, format="json"), 400)

    assert as_coordinator.delete(url).status_code == 204
    assert not project.roles.exists()


def test_a_role_for_a_project_one_cannot_see_or_does_not_exist_is_a_problem(as_coordinator):
    body = {"project": 999999, "title": "Writer", "hours_per_week": 5}
    assert (
        "project"
        in _problem(as_coordinator.post("/api/v1/team-roles/", body, format="json"), 400)["errors"]
    )


def test_another_circles_coordinator_cannot_change_the_roles(
    api_client, project, coordinator, other_coordinator
):
    role = team_role_add(
        actor=coordinator.user, project=project, role={"title": "Writer", "hours_per_week": 5}
    )
    api_client.force_login(other_coordinator.user)
    url = f"/api/v1/team-roles/{role.pk}/"
    _problem(api_client.patch(url, {"title": "Mine"}, format="json"), 403)
    _problem(api_client.delete(url), 403)
    role.refresh_from_db()
    assert role.title == "Writer"


def test_staffed_through_the_api_needs_every_role_or_the_unfilled_ones_recorded(
    as_coordinator, staffing, coordinator
):
    opportunity, people = staffing
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.TEAM_PROPOSED)
    TeamMembershipFactory(role=project.roles.get(title="Designer"), person=people["Best Designer"])
    url = f"/api/v1/opportunities/{opportunity.pk}/transition/"

    refused = _problem(as_coordinator.post(url, {"to_status": "staffed"}, format="json"), 400)
    assert "Backend developer" in refused["errors"]["leave_unfilled"][0]

    moved = as_coordinator.post(
        url, {"to_status": "staffed", "leave_unfilled": True}, format="json"
    )
    assert moved.status_code == 200, moved.content
    step = OpportunityTransition.objects.get(opportunity=opportunity)
    assert [r["title"] for r in step.unfilled_roles] == ["Backend developer", "Sysadmin"]
