"""Projects through the services: starting a standalone one, editing its phase, status and
team roles, and a project and its opportunity staying consistent while the team is staffed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from projects.models import Opportunity, OpportunityTransition, Project, TeamMembership
from projects.selectors.opportunities import unfilled_roles
from projects.services.opportunities import opportunity_transition, opportunity_update
from projects.services.teams import (
    project_create,
    project_from_opportunity,
    project_update,
    team_role_add,
    team_role_remove,
    team_role_update,
)
from tests.factories import PersonFactory
from tests.projects.factories import TeamMembershipFactory

S = Opportunity.Status
pytestmark = pytest.mark.django_db


def _role(title="Writer", **changes) -> dict:
    return {
        "title": title,
        "phase": "design",
        "hours_per_week": 5,
        "languages": [],
        "skills": [],
    } | changes


@pytest.fixture
def standalone(circle, coordinator):
    return project_create(
        actor=coordinator.user,
        circle=circle,
        data={"name": "Network handbook", "phase": Project.Phase.IDEA},
        roles=[],
    )


@pytest.fixture
def team(staffing, coordinator):
    """The team of Cora's open opportunity: three seats, each from a role for one person."""
    opportunity, _people = staffing
    return project_from_opportunity(actor=coordinator.user, opportunity=opportunity)


def _accept(project, title, person):
    role = project.roles.get(title=title)
    TeamMembershipFactory(role=role, person=person, status=TeamMembership.Status.ACCEPTED)
    role.filled = True
    role.save(update_fields=["filled"])
    return role


def _seats(opportunity) -> list[tuple[str, int, int]]:
    return [
        (r.title, r.headcount, r.hours_per_week) for r in opportunity.roles.order_by("position")
    ]


# starting and editing a project -----------------------------------------------------------------
def test_a_coordinator_starts_a_standalone_project_and_leads_it(standalone, coordinator):
    assert standalone.opportunity is None and standalone.phase == "idea"
    assert list(standalone.leads.all()) == [coordinator]
    assert AuditEvent.objects.filter(action="project.create", object_id=str(standalone.pk)).exists()


def test_a_member_who_coordinates_nothing_cannot_start_a_project(circle, member):
    with pytest.raises(PermissionDenied):
        project_create(actor=member.user, circle=circle, data={"name": "Mine"}, roles=[])
    assert not Project.objects.exists()


def test_editing_the_phase_and_status_saves_them_and_audits_only_what_changed(
    standalone, coordinator
):
    project_update(
        actor=coordinator.user,
        project=standalone,
        data={"phase": "design", "status": "active", "name": "Network handbook"},
    )

    standalone.refresh_from_db()
    assert (standalone.phase, standalone.status) == ("design", "active")
    event = AuditEvent.objects.get(action="project.update")
    assert event.before == {"phase": "idea", "status": "forming"}
    assert event.after == {"phase": "design", "status": "active"}


def test_an_unknown_phase_or_an_end_before_the_start_is_refused_with_the_field_named(
    standalone, coordinator
):
    with pytest.raises(ValidationError) as caught:
        project_update(actor=coordinator.user, project=standalone, data={"phase": "x"})
    assert "phase" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        project_update(
            actor=coordinator.user,
            project=standalone,
            data={"start_date": dt.date(2027, 3, 1), "end_date": dt.date(2027, 2, 1)},
        )
    assert "end_date" in caught.value.message_dict
    standalone.refresh_from_db()
    assert standalone.phase == "idea" and standalone.end_date is None


def test_a_lead_edits_the_project_but_a_member_and_another_circle_coordinator_cannot(
    standalone, member, other_coordinator, other_coop
):
    lead = PersonFactory(organisation=other_coop)
    standalone.leads.add(lead)
    project_update(actor=lead.user, project=standalone, data={"phase": "development"})
    for outsider in (member, other_coordinator):
        with pytest.raises(PermissionDenied):
            project_update(actor=outsider.user, project=standalone, data={"phase": "idea"})
    standalone.refresh_from_db()
    assert standalone.phase == "development"


def test_fields_a_project_does_not_have_are_refused(standalone, coordinator):
    with pytest.raises(ValidationError) as caught:
        project_update(actor=coordinator.user, project=standalone, data={"circle": 1})
    assert "circle" in caught.value.message_dict


# team roles of a standalone project ----------------------------------------------------------
def test_roles_are_added_edited_and_removed_and_each_write_is_audited(
    standalone, coordinator, django_skill, english
):
    role = team_role_add(
        actor=coordinator.user,
        project=standalone,
        role=_role(
            skills=[{"skill": django_skill, "min_level": 3, "weight": 4}], languages=[english]
        ),
    )
    assert role.skills.get().skill == django_skill and list(role.languages.all()) == [english]

    team_role_update(
        actor=coordinator.user, role=role, data=_role("Editor", phase="marketing", hours_per_week=3)
    )
    role.refresh_from_db()
    assert (role.title, role.phase, role.hours_per_week) == ("Editor", "marketing", 3)
    assert not role.skills.exists()

    team_role_remove(actor=coordinator.user, role=role)
    assert not standalone.roles.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="team_role.")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == ["team_role.add", "team_role.update", "team_role.remove"]


def test_a_role_without_a_title_or_with_too_many_hours_is_refused(standalone, coordinator):
    for bad in (_role(""), _role(hours_per_week=81), _role(phase="later")):
        with pytest.raises(ValidationError) as caught:
            team_role_add(actor=coordinator.user, project=standalone, role=bad)
        assert "roles" in caught.value.message_dict
    assert not standalone.roles.exists()


def test_a_role_someone_accepted_cannot_be_removed(standalone, coordinator, member):
    role = team_role_add(actor=coordinator.user, project=standalone, role=_role())
    _accept(standalone, "Writer", member)
    with pytest.raises(ValidationError):
        team_role_remove(actor=coordinator.user, role=role)
    assert standalone.roles.count() == 1


def test_a_member_cannot_add_a_role(standalone, member):
    with pytest.raises(PermissionDenied):
        team_role_add(actor=member.user, project=standalone, role=_role())
    assert not standalone.roles.exists()


# a project and its opportunity stay consistent ---------------------------------------------------
def test_a_seat_added_to_the_team_is_added_to_its_opportunity(team, coordinator, staffing):
    opportunity = staffing[0]
    team_role_add(actor=coordinator.user, project=team, role=_role("Tester"))
    assert _seats(opportunity)[-1] == ("Tester", 1, 5)
    assert team.roles.get(title="Tester").source_role == opportunity.roles.get(title="Tester")


def test_changing_a_seat_changes_the_opportunity_role_it_came_from(team, coordinator, staffing):
    opportunity = staffing[0]
    role = team.roles.get(title="Designer")
    team_role_update(
        actor=coordinator.user, role=role, data=_role("UX designer", hours_per_week=12)
    )
    assert ("UX designer", 1, 12) in _seats(opportunity)
    assert "Designer" not in [title for title, _n, _h in _seats(opportunity)]


def test_changing_one_seat_of_a_role_for_two_splits_it_off(staffing, coordinator):
    opportunity = staffing[0]
    opportunity.roles.filter(title="Designer").update(headcount=2)
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    seat = project.roles.get(title="Designer (2)")

    team_role_update(actor=coordinator.user, role=seat, data=_role("Illustrator", hours_per_week=4))

    seats = _seats(opportunity)
    assert ("Designer", 1, 10) in seats and ("Illustrator", 1, 4) in seats
    assert sum(n for _t, n, _h in seats) == project.roles.count()


def test_removing_a_seat_removes_it_from_the_opportunity(team, coordinator, staffing):
    opportunity = staffing[0]
    team_role_remove(actor=coordinator.user, role=team.roles.get(title="Sysadmin"))
    assert [t for t, _n, _h in _seats(opportunity)] == ["Backend developer", "Designer"]


def test_once_the_team_is_formed_the_opportunity_roles_are_not_edited_on_their_own(
    team, coordinator, staffing
):
    opportunity = staffing[0]
    with pytest.raises(ValidationError) as caught:
        opportunity_update(
            actor=coordinator.user,
            opportunity=opportunity,
            data={},
            roles=[{"title": "Other", "headcount": 1, "hours_per_week": 4, "skills": []}],
        )
    assert "roles" in caught.value.message_dict
    assert len(_seats(opportunity)) == 3
    # Its other fields stay editable.
    opportunity_update(
        actor=coordinator.user, opportunity=opportunity, data={"title": "Member portal v2"}
    )


def test_a_staffed_opportunity_keeps_its_team_roles_until_it_is_closed(team, coordinator, staffing):
    opportunity = staffing[0]
    people = list(staffing[1].values())
    for role, person in zip(team.roles.all(), people, strict=False):
        _accept(team, role.title, person)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.STAFFED)
    with pytest.raises(ValidationError):
        team_role_add(actor=coordinator.user, project=team, role=_role())
    assert team.roles.count() == 3


# staffed only when every role is accepted, or closed with the unfilled roles recorded ----------
@pytest.fixture
def proposed(team, staffing):
    """Invitations went out; the backend developer and the designer accepted, the sysadmin seat
    is still empty."""
    opportunity, people = staffing
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.TEAM_PROPOSED)
    opportunity.refresh_from_db()
    _accept(team, "Backend developer", people["Best Backend"])
    _accept(team, "Designer", people["Best Designer"])
    return opportunity


def test_staffed_is_refused_while_a_role_has_nobody_accepted(proposed, coordinator):
    with pytest.raises(ValidationError) as caught:
        opportunity_transition(actor=coordinator.user, opportunity=proposed, to_status=S.STAFFED)
    assert "Sysadmin" in caught.value.message_dict["leave_unfilled"][0]
    proposed.refresh_from_db()
    assert proposed.status == S.TEAM_PROPOSED
    assert not OpportunityTransition.objects.filter(opportunity=proposed).exists()


def test_a_coordinator_closes_staffing_with_the_unfilled_roles_recorded(proposed, coordinator):
    opportunity_transition(
        actor=coordinator.user,
        opportunity=proposed,
        to_status=S.STAFFED,
        note="The client can't wait",
        leave_unfilled=True,
    )

    proposed.refresh_from_db()
    assert proposed.status == S.STAFFED
    step = OpportunityTransition.objects.get(opportunity=proposed)
    assert step.unfilled_roles == [{"title": "Sysadmin", "hours_per_week": 10}]
    event = AuditEvent.objects.get(action="opportunity.transition")
    assert event.after == {"status": "staffed", "unfilled_roles": ["Sysadmin"]}


def test_closing_an_open_opportunity_records_every_seat_it_asked_for(staffing, coordinator):
    opportunity = staffing[0]
    opportunity.roles.filter(title="Designer").update(headcount=2)
    with pytest.raises(ValidationError):
        opportunity_transition(actor=coordinator.user, opportunity=opportunity, to_status=S.CLOSED)
    opportunity_transition(
        actor=coordinator.user, opportunity=opportunity, to_status=S.CLOSED, leave_unfilled=True
    )
    step = OpportunityTransition.objects.get(opportunity=opportunity)
    assert [r["title"] for r in step.unfilled_roles] == [
        "Backend developer",
        "Designer (1)",
        "Designer (2)",
        "Sysadmin",
    ]


def test_with_every_role_accepted_staffed_needs_no_confirmation(proposed, coordinator, team):
    _accept(team, "Sysadmin", PersonFactory(display_name="Sam Sysadmin"))
    opportunity_transition(actor=coordinator.user, opportunity=proposed, to_status=S.STAFFED)
    assert OpportunityTransition.objects.get(opportunity=proposed).unfilled_roles == []


def test_removing_the_last_empty_seat_completes_the_team_and_staffs_the_opportunity(
    proposed, coordinator, team
):
    team_role_remove(actor=coordinator.user, role=team.roles.get(title="Sysadmin"))

    proposed.refresh_from_db()
    assert proposed.status == S.STAFFED
    assert unfilled_roles(proposed) == []
    assert [t for t, _n, _h in _seats(proposed)] == ["Backend developer", "Designer"]


def test_a_member_cannot_close_staffing(proposed, member):
    with pytest.raises(PermissionDenied):
        opportunity_transition(
            actor=member.user, opportunity=proposed, to_status=S.STAFFED, leave_unfilled=True
        )
    proposed.refresh_from_db()
    assert proposed.status == S.TEAM_PROPOSED
