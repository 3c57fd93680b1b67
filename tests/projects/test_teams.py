"""Projects and teams through the services: forming a team from an opportunity, matching runs
(claimed once, re-runs replace the proposal), swapping, invitations (mailed once) and answers,
and the opportunity becoming staffed when every role is filled."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import emails
from projects.models import MatchRun, Opportunity, Project, TeamMembership
from projects.selectors.matching_runs import proposed_memberships
from projects.services.matching_runs import (
    match_run_claim,
    match_run_execute,
    match_runs_fail_lost,
    proposal_swap,
)
from projects.services.staffing import (
    invitations_send,
    match_run_request,
    membership_respond,
    membership_respond_by_link,
)
from projects.services.teams import project_from_opportunity
from projects.tokens import invitation_token
from tests.projects.factories import TeamMembershipFactory, TeamRoleFactory

S = Opportunity.Status


def _run(coordinator, project, **kw) -> MatchRun:
    run = match_run_request(actor=coordinator.user, project=project, **kw)
    assert match_run_claim(run_id=run.pk)
    return match_run_execute(run_id=run.pk)


def _proposal(project) -> dict[str, str]:
    return {m.role.title: m.person.display_name for m in proposed_memberships(project)}


@pytest.fixture
def project(staffing, coordinator):
    opportunity, _people = staffing
    return project_from_opportunity(actor=coordinator.user, opportunity=opportunity)


def test_a_project_formed_from_an_opportunity_carries_its_roles_skills_and_languages(
    project, staffing, english
):
    opportunity, _people = staffing
    roles = list(project.roles.order_by("position"))
    assert [r.title for r in roles] == ["Backend developer", "Designer", "Sysadmin"]
    assert [r.skills.get().min_level for r in roles] == [3, 2, 2]
    assert list(roles[0].languages.all()) == [english]
    assert project.opportunity == opportunity and project.source_coop == opportunity.source_coop
    assert project.leads.get() == opportunity.posted_by


def test_forming_the_team_twice_gives_the_same_project(project, staffing, coordinator):
    again = project_from_opportunity(actor=coordinator.user, opportunity=staffing[0])
    assert again == project and Project.objects.count() == 1


def test_a_role_for_two_people_becomes_two_seats(staffing, coordinator):
    opportunity, _people = staffing
    role = opportunity.roles.get(title="Designer")
    role.headcount = 2
    role.save()
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    titles = list(project.roles.values_list("title", flat=True))
    assert titles == ["Backend developer", "Designer (1)", "Designer (2)", "Sysadmin"]


def test_a_member_cannot_form_a_team(staffing, member):
    with pytest.raises(PermissionDenied):
        project_from_opportunity(actor=member.user, opportunity=staffing[0])
    assert not Project.objects.exists()


def test_matching_proposes_the_best_person_for_each_role_and_moves_the_opportunity(
    project, coordinator
):
    run = _run(coordinator, project)

    assert run.status == MatchRun.Status.DONE and run.progress == 100
    assert run.solver_status.endswith(":optimal") and run.proven_gap == 0
    assert _proposal(project) == {
        "Backend developer": "Best Backend",
        "Designer": "Best Designer",
        "Sysadmin": "Best Sysadmin",
    }
    assert [len(e["alternates"]) for e in run.result["roles"]] == [1, 1, 1]
    project.opportunity.refresh_from_db()
    assert project.opportunity.status == S.MATCHING


def test_a_run_is_claimed_once(project, coordinator):
    run = match_run_request(actor=coordinator.user, project=project)
    assert match_run_claim(run_id=run.pk) is True
    assert match_run_claim(run_id=run.pk) is False


def test_a_run_whose_worker_vanished_is_not_claimed_again_but_failed(project, coordinator):
    run = match_run_request(actor=coordinator.user, project=project)
    assert match_run_claim(run_id=run.pk)
    # A redelivered message never takes over a running run, whatever its age: when its worker
    # is gone the run stops beating and is failed, and the coordinator starts a new one.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert match_run_claim(run_id=run.pk) is False
        again = match_run_request(actor=coordinator.user, project=project)

    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and again.pk != run.pk


def test_asking_twice_while_a_run_is_queued_makes_one_run(project, coordinator):
    first = match_run_request(actor=coordinator.user, project=project)
    second = match_run_request(actor=coordinator.user, project=project)
    assert first == second and MatchRun.objects.count() == 1


def test_running_again_replaces_the_proposal_with_the_same_result(project, coordinator):
    _run(coordinator, project)
    before = _proposal(project)
    _run(coordinator, project)
    assert _proposal(project) == before
    assert TeamMembership.objects.filter(status="proposed").count() == 3
    assert MatchRun.objects.count() == 2


def test_swapping_puts_an_alternate_in_and_the_chosen_person_among_the_alternates(
    project, coordinator, staffing
):
    _opportunity, people = staffing
    run = _run(coordinator, project)
    designer = project.roles.get(title="Designer")

    proposal_swap(
        actor=coordinator.user, project=project, role=designer, person=people["Second Designer"]
    )

    assert _proposal(project)["Designer"] == "Second Designer"
    run.refresh_from_db()
    entry = next(e for e in run.result["roles"] if e["role"] == designer.pk)
    assert entry["chosen"]["person"] == people["Second Designer"].pk
    assert [a["person"] for a in entry["alternates"]] == [people["Best Designer"].pk]


def test_swapping_to_someone_who_is_not_an_alternate_is_refused_and_changes_nothing(
    project, coordinator, staffing
):
    _opportunity, people = staffing
    _run(coordinator, project)
    before = _proposal(project)
    with pytest.raises(ValidationError):
        proposal_swap(
            actor=coordinator.user,
            project=project,
            role=project.roles.get(title="Designer"),
            person=people["Best Sysadmin"],
        )
    assert _proposal(project) == before


def test_invitations_are_mailed_once_even_when_sent_twice(project, coordinator):
    _run(coordinator, project)
    assert invitations_send(actor=coordinator.user, project=project) == 3

    assert emails.team_invitations_send(project_id=project.pk) == 3
    assert emails.team_invitations_send(project_id=project.pk) == 0
    assert len(mail.outbox) == 3
    assert "/team-invitations/" in mail.outbox[0].body
    project.opportunity.refresh_from_db()
    assert project.opportunity.status == S.TEAM_PROPOSED


def test_a_new_run_leaves_invitations_alone_and_matches_only_open_roles(project, coordinator):
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    invited = set(TeamMembership.objects.filter(status="invited").values_list("pk", flat=True))

    with pytest.raises(ValidationError):  # nothing left to match
        match_run_request(actor=coordinator.user, project=project)
    assert set(TeamMembership.objects.filter(status="invited").values_list("pk", flat=True)) == (
        invited
    )


def test_when_everyone_accepts_the_project_is_active_and_the_opportunity_staffed(
    project, coordinator
):
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    for membership in TeamMembership.objects.filter(status="invited"):
        membership_respond(actor=membership.person.user, membership=membership, accept=True)

    project.refresh_from_db()
    project.opportunity.refresh_from_db()
    assert project.status == Project.Status.ACTIVE
    assert project.opportunity.status == S.STAFFED
    path = list(project.opportunity.transitions.values_list("to_status", flat=True))
    assert path == [S.MATCHING, S.TEAM_PROPOSED, S.STAFFED]


def test_a_decline_reopens_the_role_and_the_next_run_leaves_that_person_out(
    project, coordinator, staffing
):
    _opportunity, _people = staffing
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    designer = TeamMembership.objects.get(role__title="Designer")
    membership_respond(actor=designer.person.user, membership=designer, accept=False)

    run = _run(coordinator, project)

    assert _proposal(project) == {"Designer": "Second Designer"}
    project.opportunity.refresh_from_db()
    assert project.opportunity.status == S.TEAM_PROPOSED
    assert run.result["roles"][0]["alternates"] == []


def test_only_the_invitee_answers(project, coordinator, member):
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    membership = TeamMembership.objects.filter(status="invited").first()
    with pytest.raises(PermissionDenied):
        membership_respond(actor=member.user, membership=membership, accept=True)
    with pytest.raises(PermissionDenied):
        membership_respond(actor=coordinator.user, membership=membership, accept=True)


def test_the_signed_link_answers_for_the_invitee_and_a_forged_one_does_nothing(
    project, coordinator
):
    _run(coordinator, project)
    invitations_send(actor=coordinator.user, project=project)
    membership = TeamMembership.objects.filter(status="invited").first()
    token = invitation_token(membership)

    with pytest.raises(ValidationError):
        membership_respond_by_link(token=token[:-2] + "xx", accept=True)
    membership_respond_by_link(token=token, accept=True)

    membership.refresh_from_db()
    assert membership.status == TeamMembership.Status.ACCEPTED
    with pytest.raises(ValidationError):  # answered already
        membership_respond_by_link(token=token, accept=False)


def test_hours_promised_to_an_active_team_count_against_availability(
    project, coordinator, staffing
):
    _opportunity, people = staffing
    busy = people["Best Backend"]  # 20 hours a week
    TeamMembershipFactory(
        person=busy, role=TeamRoleFactory(hours_per_week=15, project__status="active")
    )
    _run(coordinator, project)
    assert _proposal(project)["Backend developer"] == "Second Backend"


def test_hours_of_a_finished_team_do_not_count(project, coordinator, staffing):
    _opportunity, people = staffing
    TeamMembershipFactory(
        person=people["Best Backend"],
        role=TeamRoleFactory(hours_per_week=15, project__status="finished"),
    )
    _run(coordinator, project)
    assert _proposal(project)["Backend developer"] == "Best Backend"


def test_people_who_opted_out_or_are_deactivated_are_not_proposed(project, coordinator, staffing):
    _opportunity, people = staffing
    people["Best Backend"].open_to_matching = False
    people["Best Backend"].save()
    user = people["Best Designer"].user
    user.is_active = False
    user.save()
    _run(coordinator, project)
    proposal = _proposal(project)
    assert proposal["Backend developer"] == "Second Backend"
    assert proposal["Designer"] == "Second Designer"


def test_a_role_nobody_fits_is_reported_with_the_reason_and_the_others_are_proposed(
    project, coordinator, staffing, figma
):
    _opportunity, people = staffing
    role = project.roles.get(title="Designer")
    role.skills.update(min_level=4)  # only Best Designer is that good, and they opted out
    people["Best Designer"].open_to_matching = False
    people["Best Designer"].save()

    run = _run(coordinator, project)

    assert set(_proposal(project)) == {"Backend developer", "Sysadmin"}
    gap = next(g for g in run.result["gaps"] if g["role"] == role.pk)
    assert gap["candidates"] == 0
    assert gap["failed"]["not_opted_in"] == 1
    assert gap["failed"][f"skill:{figma.pk}"] == 6  # everyone but Best Designer (+ Cora)


def test_fill_one_role_matches_only_that_role_against_the_team_already_there(
    project, coordinator, staffing
):
    _opportunity, people = staffing
    backend = project.roles.get(title="Backend developer")
    TeamMembershipFactory(role=backend, person=people["Best Backend"], status="accepted")
    backend.filled = True
    backend.save()
    sysadmin = project.roles.get(title="Sysadmin")

    _run(coordinator, project, mode=MatchRun.Mode.ONE_ROLE, role=sysadmin)

    assert _proposal(project) == {"Sysadmin": "Best Sysadmin"}


def test_a_project_lead_runs_matching_but_a_member_cannot(project, member, staffing):
    with pytest.raises(PermissionDenied):
        match_run_request(actor=member.user, project=project)
    lead = staffing[1]["Second Sysadmin"]
    project.leads.add(lead)
    assert match_run_request(actor=lead.user, project=project).pk


def test_a_run_that_stops_beating_is_failed_by_beat_s_sweeper_once_past_the_timeout(
    coordinator, project, settings
):
    from projects.tasks import fail_lost_match_runs

    settings.MATCH_RUN_HEARTBEAT_TIMEOUT = 300
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        lost = match_run_request(actor=coordinator.user, project=project)
        assert match_run_claim(run_id=lost.pk)

    with time_machine.travel(started + dt.timedelta(seconds=299), tick=False):
        assert fail_lost_match_runs() == 0
    with time_machine.travel(started + dt.timedelta(seconds=301), tick=False):
        assert fail_lost_match_runs() == 1
        assert fail_lost_match_runs() == 0  # once

    lost.refresh_from_db()
    assert (lost.status, lost.failure) == (MatchRun.Status.FAILED, MatchRun.Failure.LOST)
    assert lost.finished_at == started + dt.timedelta(seconds=301)
    # Beat runs the sweeper every minute.
    entry = settings.CELERY_BEAT_SCHEDULE["match-runs-lost"]
    assert (entry["task"], entry["schedule"]) == (fail_lost_match_runs.name, crontab())


def test_the_page_tells_the_coordinator_the_run_was_lost_and_offers_to_start_again(
    client, coordinator, project, settings
):
    settings.MATCH_RUN_HEARTBEAT_TIMEOUT = 300
    run = match_run_request(actor=coordinator.user, project=project)
    assert match_run_claim(run_id=run.pk)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        client.force_login(coordinator.user)
        url = reverse("projects:matching_progress", args=[project.pk, run.pk])
        # The page polls the run's status; once the sweeper has failed it, the poll says so.
        assert "Running" in client.get(url, headers={"HX-Request": "true"}).content.decode()
        match_runs_fail_lost()
        polled = client.get(url, headers={"HX-Request": "true"})
        page = client.get(reverse("projects:matching", args=[project.pk])).content.decode()

    assert polled["HX-Refresh"] == "true"
    assert "the server running it was lost" in polled.content.decode()
    assert "Match all open roles" in page
    # Starting again starts a new run, not the lost one.
    response = client.post(reverse("projects:matching_run", args=[project.pk]), {"mode": "all"})
    assert response.status_code == 302
    assert MatchRun.objects.filter(status=MatchRun.Status.QUEUED).exclude(pk=run.pk).exists()
