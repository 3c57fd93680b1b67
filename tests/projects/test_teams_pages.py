"""Team pages and the teams API: what people see and what bad input gets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Person, Skill
from projects.models import MatchRun, Project, TeamMembership
from projects.services.matching_runs import match_run_claim, match_run_execute
from projects.services.staffing import invitations_send, match_run_request, membership_respond
from projects.services.teams import project_from_opportunity
from projects.tokens import invitation_token


@pytest.fixture
def project(staffing, coordinator):
    return project_from_opportunity(actor=coordinator.user, opportunity=staffing[0])


def _matched(project, coordinator) -> MatchRun:
    run = match_run_request(actor=coordinator.user, project=project)
    match_run_claim(run_id=run.pk)
    return match_run_execute(run_id=run.pk)


def test_the_opportunity_page_offers_to_form_the_team_and_then_links_to_it(
    login, coordinator, staffing
):
    client = login(coordinator.user)
    opportunity = staffing[0]
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Form the team" in page

    response = client.post(reverse("projects:project_from_opportunity", args=[opportunity.pk]))

    project = Project.objects.get()
    assert response["Location"] == reverse("projects:matching", args=[project.pk])
    assert "The team&#x27;s project" in client.get(opportunity.get_absolute_url()).content.decode()


def test_the_matching_page_explains_each_proposal_in_words(login, coordinator, project):
    _matched(project, coordinator)
    page = login(coordinator.user).get(reverse("projects:matching", args=[project.pk]))
    text = page.content.decode()
    assert "Best Backend" in text and "Camplight" in text
    assert "Django: Can teach (needs Expert)" in text
    assert "Works in English (fluent)." in text
    assert "free hours a week; the role needs 10." in text
    assert "This is the best team the rules allow (proven)." in text
    assert "Propose Second Designer as Designer" in text


def test_the_matching_page_names_skills_in_the_readers_language(login, coordinator, project):
    _matched(project, coordinator)  # the run's facts name the skill as it was then, in English
    Skill.objects.filter(slug="django").update(name_es="Desarrollo con Django")
    Person.objects.filter(pk=coordinator.pk).update(language="es")
    page = login(coordinator.user).get(reverse("projects:matching", args=[project.pk]))
    text = page.content.decode()
    assert "Desarrollo con Django: " in text
    assert "Django: " not in text.replace("Desarrollo con Django: ", "")


def test_while_running_the_page_polls_and_works_without_javascript(login, coordinator, project):
    client = login(coordinator.user)
    client.post(reverse("projects:matching_run", args=[project.pk]), {"mode": "all"})
    run = MatchRun.objects.get()
    page = client.get(reverse("projects:matching", args=[project.pk])).content.decode()
    progress = reverse("projects:matching_progress", args=[project.pk, run.pk])
    assert f'hx-get="{progress}"' in page
    assert "Refresh to see the progress" in page
    # Without htmx the progress URL sends the reader back to the page.
    assert client.get(progress)["Location"] == reverse("projects:matching", args=[project.pk])

    match_run_claim(run_id=run.pk)
    match_run_execute(run_id=run.pk)
    response = client.get(progress, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_swapping_to_a_stranger_shows_an_error_and_changes_nothing(
    login, coordinator, project, staffing
):
    _matched(project, coordinator)
    before = list(TeamMembership.objects.values_list("role_id", "person_id"))
    client = login(coordinator.user)
    url = reverse("projects:matching_swap", args=[project.pk])
    stranger = staffing[1]["Best Sysadmin"]
    designer = project.roles.get(title="Designer")

    response = client.post(url, {"role": designer.pk, "person": stranger.pk}, follow=True)
    assert "Choose one of the alternates the matching found." in response.content.decode()
    response = client.post(url, {"role": "x", "person": ""}, follow=True)
    assert "Choose a role and one of its alternates." in response.content.decode()
    assert list(TeamMembership.objects.values_list("role_id", "person_id")) == before


def test_the_invitee_accepts_on_the_project_page_and_sees_their_team(
    client, coordinator, project, staffing
):
    _matched(project, coordinator)
    invitations_send(actor=coordinator.user, project=project)
    invitee = staffing[1]["Best Designer"]
    client.force_login(invitee.user)
    membership = TeamMembership.objects.get(person=invitee)
    assert "Accept" in client.get(project.get_absolute_url()).content.decode()

    client.post(reverse("projects:membership_respond", args=[membership.pk]), {"answer": "accept"})

    membership.refresh_from_db()
    assert membership.status == "accepted"
    mine = client.get(reverse("projects:my_teams")).content.decode()
    assert project.name in mine and "Accepted" in mine


def test_the_email_link_shows_the_invitation_and_answers_only_on_post(client, coordinator, project):
    _matched(project, coordinator)
    invitations_send(actor=coordinator.user, project=project)
    membership = TeamMembership.objects.filter(status="invited").first()
    url = reverse("projects:invitation", args=[invitation_token(membership)])

    assert client.get(url).status_code == 200
    membership.refresh_from_db()
    assert membership.status == "invited"
    client.post(url, {"answer": "decline"})
    membership.refresh_from_db()
    assert membership.status == "declined"
    assert client.get(reverse("projects:invitation", args=["forged"])).status_code == 404


def test_the_project_page_shows_each_persons_coop_and_country_and_open_roles(
    client, coordinator, project, staffing
):
    _matched(project, coordinator)
    invitations_send(actor=coordinator.user, project=project)
    invitee = staffing[1]["Best Sysadmin"]
    membership = TeamMembership.objects.get(person=invitee)
    membership_respond(actor=invitee.user, membership=membership, accept=True)
    client.force_login(staffing[1]["Second Backend"].user)

    page = client.get(project.get_absolute_url()).content.decode()
    assert "Best Sysadmin" in page and "Tierra Común" in page and "Mexico" in page
    assert "Best Backend" not in page  # invited, not yet accepted: not shown to others
    assert "Open roles" in page


def test_description_is_shown_escaped(client, member, project):
    project.description = "<script>alert(1)</script> **bold**"
    project.save()
    client.force_login(member.user)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "<strong>bold</strong>" in page


# API --------------------------------------------------------------------------------------------
def test_api_match_returns_202_with_a_run_to_poll(api_client, coordinator, project):
    api_client.force_login(coordinator.user)
    response = api_client.post(f"/api/v1/projects/{project.pk}/match/", {}, format="json")
    assert response.status_code == 202
    run_id = response.json()["id"]
    match_run_claim(run_id=run_id)
    match_run_execute(run_id=run_id)

    polled = api_client.get(f"/api/v1/match-runs/{run_id}/").json()
    assert polled["status"] == "done" and polled["progress"] == 100
    assert len(polled["result"]["roles"]) == 3


@pytest.mark.parametrize(
    "body",
    [{"mode": "everything"}, {"mode": "one"}, {"mode": "one", "role": 999999}, {"extra": 1}],
)
def test_api_match_refuses_bad_input_with_problem_json(api_client, coordinator, project, body):
    api_client.force_login(coordinator.user)
    response = api_client.post(f"/api/v1/projects/{project.pk}/match/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not MatchRun.objects.exists()


def test_api_invitee_answers_and_a_second_answer_is_refused(
    api_client, coordinator, project, staffing
):
    _matched(project, coordinator)
    invitations_send(actor=coordinator.user, project=project)
    invitee = staffing[1]["Best Backend"]
    membership = TeamMembership.objects.get(person=invitee)
    api_client.force_login(invitee.user)
    url = f"/api/v1/team-memberships/{membership.pk}/respond/"

    assert api_client.post(url, {"answer": "accept"}, format="json").status_code == 200
    second = api_client.post(url, {"answer": "decline"}, format="json")
    assert second.status_code == 403
    assert api_client.post(url, {"answer": "maybe"}, format="json").status_code == 400


def test_api_lists_team_roles_of_a_project(api_client, member, project):
    api_client.force_login(member.user)
    data = api_client.get(f"/api/v1/team-roles/?project={project.pk}").json()
    assert [r["title"] for r in data["results"]] == ["Backend developer", "Designer", "Sysadmin"]
    assert api_client.get("/api/v1/team-roles/?project=abc").status_code == 400


def test_a_persons_page_lists_the_teams_they_accepted(
    client, member, coordinator, project, staffing
):
    _matched(project, coordinator)
    invitations_send(actor=coordinator.user, project=project)
    invitee = staffing[1]["Best Sysadmin"]
    membership = TeamMembership.objects.get(person=invitee)
    membership_respond(actor=invitee.user, membership=membership, accept=True)
    client.force_login(member.user)

    page = client.get(invitee.get_absolute_url()).content.decode()
    assert "Teams" in page and project.name in page and "Sysadmin" in page
