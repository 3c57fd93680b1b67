"""The project pages a coordinator uses without JavaScript: start a standalone project, edit its
phase and status, add, change and remove its roles; and the opportunity page closing staffing
with the unfilled roles recorded. Bad input gets form errors, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Opportunity, OpportunityTransition, Project, TeamMembership
from projects.services.teams import project_create, project_from_opportunity, team_role_add
from tests.projects.factories import TeamMembershipFactory

S = Opportunity.Status
pytestmark = pytest.mark.django_db


def _project_data(circle=None, **changes) -> dict:
    data = {
        "name": "Network handbook",
        "description": "How the network works.",
        "phase": "idea",
        "status": "forming",
        "visibility": "members",
        "min_overlap_hours": "2",
        "min_coops": "2",
        "client_name": "",
    }
    if circle is not None:
        data["circle"] = str(circle.pk)
    return data | changes


def _role_data(prefix="new", **changes) -> dict:
    data = {"title": "Writer", "phase": "design", "hours_per_week": "5"}
    for row in range(4):
        data |= {f"skill_{row}": "", f"min_level_{row}": "2", f"weight_{row}": "3"}
    data |= changes
    return {f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}


@pytest.fixture
def project(circle, coordinator):
    return project_create(
        actor=coordinator.user, circle=circle, data={"name": "Network handbook"}, roles=[]
    )


def test_a_coordinator_starts_a_standalone_project_from_the_projects_page(
    client, circle, coordinator
):
    client.force_login(coordinator.user)
    listing = client.get(reverse("projects:projects"))
    assert reverse("projects:project_new") in listing.content.decode()

    response = client.post(reverse("projects:project_new"), _project_data(circle, phase="design"))

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project_roles", args=[project.pk])
    assert (project.opportunity, project.circle, project.phase) == (None, circle, "design")


def test_a_member_is_not_offered_and_cannot_open_the_new_project_page(client, member):
    client.force_login(member.user)
    assert reverse("projects:project_new") not in client.get("/projects/").content.decode()
    assert client.get(reverse("projects:project_new")).status_code == 403


def test_bad_input_shows_the_errors_under_the_fields_and_saves_nothing(client, circle, coordinator):
    client.force_login(coordinator.user)
    data = _project_data(
        circle, name="", phase="later", start_date="2027-03-01", end_date="2027-02-01"
    )

    response = client.post(reverse("projects:project_new"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"name", "phase", "end_date"}
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Project.objects.exists()


def test_editing_the_phase_and_status_shows_them_on_the_project_page(client, project, coordinator):
    client.force_login(coordinator.user)
    url = reverse("projects:project_edit", args=[project.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, _project_data(phase="development", status="active"))

    assert response.status_code == 302
    page = client.get(project.get_absolute_url()).content.decode()
    assert "current phase: Development" in page and "Active" in page


def test_adding_changing_and_removing_a_role_on_the_roles_page(client, project, coordinator):
    client.force_login(coordinator.user)
    url = reverse("projects:project_roles", args=[project.pk])

    added = client.post(url, _role_data(title="Interaction designer"))
    assert added.status_code == 302
    role = project.roles.get()
    assert "Interaction designer" in client.get(url).content.decode()

    edit_url = reverse("projects:team_role_edit", args=[project.pk, role.pk])
    assert client.get(edit_url).status_code == 200
    saved = client.post(edit_url, _role_data(prefix="", title="Illustrator", hours_per_week="3"))
    assert saved.status_code == 302
    role.refresh_from_db()
    assert (role.title, role.hours_per_week) == ("Illustrator", 3)

    removed = client.post(reverse("projects:team_role_remove", args=[project.pk, role.pk]))
    assert removed.status_code == 302 and not project.roles.exists()


def test_a_role_with_bad_hours_gets_an_error_under_the_field(client, project, coordinator):
    client.force_login(coordinator.user)
    url = reverse("projects:project_roles", args=[project.pk])
    response = client.post(url, _role_data(title="", hours_per_week="90"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "hours_per_week"}
    assert not project.roles.exists()


def test_removing_a_role_someone_accepted_says_why_and_keeps_it(
    client, project, coordinator, member
):
    role = team_role_add(
        actor=coordinator.user,
        project=project,
        role={"title": "Writer", "hours_per_week": 5, "phase": "design"},
    )
    TeamMembershipFactory(role=role, person=member, status=TeamMembership.Status.ACCEPTED)
    client.force_login(coordinator.user)

    response = client.post(
        reverse("projects:team_role_remove", args=[project.pk, role.pk]), follow=True
    )

    assert "cannot be removed" in response.content.decode()
    assert project.roles.count() == 1


# the opportunity page: staffed only with a full team, or closed with roles recorded ------------
@pytest.fixture
def proposed(staffing, coordinator):
    opportunity, people = staffing
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.TEAM_PROPOSED)
    for title, name in (("Backend developer", "Best Backend"), ("Designer", "Best Designer")):
        role = project.roles.get(title=title)
        TeamMembershipFactory(role=role, person=people[name])
        role.filled = True
        role.save(update_fields=["filled"])
    return opportunity, project


def test_the_opportunity_page_lists_the_empty_roles_next_to_the_staffed_button(
    client, proposed, coordinator
):
    opportunity, _project = proposed
    client.force_login(coordinator.user)
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Record these roles as left unfilled" in page
    assert "<li>Sysadmin</li>" in page


def test_staffed_without_the_confirmation_is_refused_with_the_reason(client, proposed, coordinator):
    opportunity, _project = proposed
    client.force_login(coordinator.user)
    url = reverse("projects:opportunity_transition", args=[opportunity.pk])

    response = client.post(url, {"to_status": "staffed"})

    assert response.status_code == 400
    assert "still empty: Sysadmin" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == S.TEAM_PROPOSED


def test_closing_staffing_with_the_roles_recorded_shows_the_record_on_both_pages(
    client, proposed, coordinator
):
    opportunity, project = proposed
    client.force_login(coordinator.user)
    url = reverse("projects:opportunity_transition", args=[opportunity.pk])

    response = client.post(url, {"to_status": "staffed", "leave_unfilled": "on", "note": "Go"})

    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == S.STAFFED
    step = OpportunityTransition.objects.get(opportunity=opportunity)
    assert [r["title"] for r in step.unfilled_roles] == ["Sysadmin"]
    history = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Left unfilled: Sysadmin" in history
    project_page = client.get(project.get_absolute_url()).content.decode()
    assert "Left unfilled" in project_page and "<li>Sysadmin</li>" in project_page


def test_the_opportunity_form_sends_role_edits_to_the_project_once_the_team_is_formed(
    client, proposed, coordinator
):
    opportunity, project = proposed
    client.force_login(coordinator.user)
    url = reverse("projects:opportunity_edit", args=[opportunity.pk])
    page = client.get(url).content.decode()
    assert reverse("projects:project_roles", args=[project.pk]) in page
    assert "roles-TOTAL_FORMS" not in page

    data = {
        "title": "Member portal v2",
        "description": "Still the portal.",
        "visibility": "members",
        "currency": "EUR",
    }
    assert client.post(url, data).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Member portal v2" and opportunity.roles.count() == 3
