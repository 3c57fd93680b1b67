"""The opportunity services: drafts with roles, validation, transitions and interest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from members.models import Organisation, Skill
from projects.models import Interest, Opportunity, OpportunityRole, OpportunityTransition, RoleSkill
from projects.services.opportunities import (
    StaleStatus,
    interest_express,
    interest_withdraw,
    opportunity_create,
    opportunity_transition,
    opportunity_update,
)
from projects.tasks import notify_fitting_people
from tests.conftest import queued, queued_work
from tests.factories import OrganisationFactory
from tests.projects.factories import OpportunityFactory, RoleFactory

pytestmark = pytest.mark.django_db
S = Opportunity.Status


def _data(**changes):
    return {
        "title": "A member portal for Vivienda Sur",
        "description": "Sign-in, documents and assemblies for 300 households.",
        "budget": Decimal("24000.00"),
        "currency": "EUR",
        "start_date": dt.date(2030, 3, 1),
        "deadline": dt.date(2030, 9, 30),
        **changes,
    }


def _create(coordinator, circle, roles, **changes):
    return opportunity_create(
        actor=coordinator.user, circle=circle, data=_data(**changes), roles=roles
    )


# creating -----------------------------------------------------------------------------------------
def test_a_coordinator_posts_a_draft_with_two_roles_and_their_skills(
    coordinator, circle, two_roles, english, spanish, django_skill
):
    opportunity = _create(coordinator, circle, two_roles, working_languages=[english, spanish])

    opportunity.refresh_from_db()
    assert opportunity.status == S.DRAFT
    assert opportunity.posted_by == coordinator
    assert opportunity.circle == circle
    assert opportunity.budget == Decimal("24000.00")
    assert set(opportunity.working_languages.values_list("code", flat=True)) == {"en", "es"}
    roles = list(opportunity.roles.order_by("position"))
    assert [(r.title, r.headcount, r.hours_per_week) for r in roles] == [
        ("Backend developer", 2, 20),
        ("Designer", 1, 8),
    ]
    requirement = roles[0].skills.get()
    assert (requirement.skill, requirement.min_level, requirement.weight) == (django_skill, 3, 5)
    event = AuditEvent.objects.get(action="opportunity.create")
    assert event.actor == coordinator.user
    assert event.after == {"circle": circle.slug, "status": "draft", "roles": 2}


def test_a_network_admin_without_a_profile_posts_with_no_poster(network_admin, circle, two_roles):
    opportunity = opportunity_create(
        actor=network_admin, circle=circle, data=_data(), roles=two_roles
    )
    assert opportunity.posted_by is None


def test_the_coordinator_of_another_circle_cannot_post_in_this_one(
    other_coordinator, circle, two_roles
):
    with pytest.raises(PermissionDenied):
        _create(other_coordinator, circle, two_roles)
    assert not Opportunity.objects.exists()


def test_a_former_coordinator_can_no_longer_post(coordinator, circle, two_roles):
    coordinator.circle_memberships.update(
        start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        _create(coordinator, circle, two_roles)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": Decimal("-1")}, "budget"),
        ({"budget": Decimal("10000000.01")}, "budget"),
        ({"budget": Decimal("1e30")}, "budget"),
        ({"budget": 12.5}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"budget": Decimal("10.001")}, "budget"),
        ({"currency": "XXX"}, "currency"),
        ({"deadline": dt.date(2030, 2, 28)}, "deadline"),
        ({"description": "x" * 20_001}, "description"),
        ({"title": "x" * 201}, "title"),
        ({"title": "   "}, "title"),
        ({"client_name": "Acme", "client_organisation": "member"}, "client_name"),
        ({"client_organisation": "applicant"}, "client_organisation"),
        ({"status": "open"}, "status"),
    ],
    ids=[
        "negative budget",
        "absurd budget",
        "huge exponent",
        "float budget",
        "NaN budget",
        "three decimals",
        "unknown currency",
        "deadline before start",
        "oversized description",
        "oversized title",
        "blank title",
        "two clients",
        "client not a member co-op",
        "status set directly",
    ],
)
def test_bad_opportunity_data_is_refused_next_to_its_field_and_nothing_is_saved(
    coordinator, circle, two_roles, changes, field
):
    if changes.get("client_organisation") == "member":
        changes["client_organisation"] = OrganisationFactory(slug="a-member")
    elif changes.get("client_organisation") == "applicant":
        changes["client_organisation"] = OrganisationFactory(
            slug="an-applicant", status=Organisation.Status.APPLICANT
        )
    with pytest.raises(ValidationError) as caught:
        _create(coordinator, circle, two_roles, **changes)
    assert field in caught.value.message_dict
    assert not Opportunity.objects.exists()
    assert not OpportunityRole.objects.exists()


@pytest.mark.parametrize(
    "bad_role",
    [
        {"title": "", "hours_per_week": 10, "skills": []},
        {"title": "Dev", "hours_per_week": 0, "skills": []},
        {"title": "Dev", "hours_per_week": 81, "skills": []},
        {"title": "Dev", "hours_per_week": 10, "headcount": 0, "skills": []},
        {"title": "Dev", "hours_per_week": 10, "skills": [{"skill": "django", "min_level": 9}]},
        {"title": "Dev", "hours_per_week": 10, "skills": [{"skill": "django", "weight": 6}]},
        {"title": "Dev", "hours_per_week": 10, "skills": [{"skill": "unknown"}]},
        {
            "title": "Dev",
            "hours_per_week": 10,
            "skills": [{"skill": "django"}, {"skill": "django"}],
        },
    ],
    ids=[
        "no title",
        "no hours",
        "too many hours",
        "nobody",
        "level 9",
        "weight 6",
        "unknown skill",
        "skill twice",
    ],
)
def test_a_bad_role_is_refused_and_nothing_is_half_saved(
    coordinator, circle, two_roles, django_skill, bad_role
):
    skills = []
    for item in bad_role["skills"]:
        skill = django_skill if item["skill"] == "django" else Skill(pk=999_999, name="Ghost")
        skills.append({**item, "skill": skill})
    roles = [two_roles[0], {**bad_role, "skills": skills}]
    with pytest.raises(ValidationError) as caught:
        _create(coordinator, circle, roles)
    assert "roles" in caught.value.message_dict
    assert any("Role 2" in message for message in caught.value.message_dict["roles"])
    assert not Opportunity.objects.exists()
    assert not RoleSkill.objects.exists()


def test_script_tags_in_the_description_are_stored_as_typed(coordinator, circle, two_roles):
    text = "<script>alert('x')</script> We need help."
    opportunity = _create(coordinator, circle, two_roles, description=text)
    opportunity.refresh_from_db()
    assert opportunity.description == text


# editing ------------------------------------------------------------------------------------------
def test_updating_with_roles_replaces_all_the_roles(coordinator, circle, two_roles, figma):
    opportunity = _create(coordinator, circle, two_roles)
    new_roles = [
        {
            "title": "Illustrator",
            "headcount": 1,
            "hours_per_week": 5,
            "skills": [{"skill": figma, "min_level": 3, "weight": 4}],
        }
    ]

    opportunity_update(
        actor=coordinator.user,
        opportunity=opportunity,
        data={"title": "Renamed"},
        roles=new_roles,
    )

    opportunity.refresh_from_db()
    assert opportunity.title == "Renamed"
    assert list(opportunity.roles.values_list("title", flat=True)) == ["Illustrator"]
    assert RoleSkill.objects.count() == 1


def test_updating_without_roles_keeps_them(coordinator, circle, two_roles):
    opportunity = _create(coordinator, circle, two_roles)
    opportunity_update(
        actor=coordinator.user, opportunity=opportunity, data={"budget": Decimal("100")}
    )
    assert opportunity.roles.count() == 2


def test_a_failed_update_leaves_the_opportunity_as_it_was(coordinator, circle, two_roles):
    opportunity = _create(coordinator, circle, two_roles)
    with pytest.raises(ValidationError):
        opportunity_update(
            actor=coordinator.user,
            opportunity=opportunity,
            data={"title": "Changed", "budget": Decimal("-5")},
            roles=[],
        )
    opportunity.refresh_from_db()
    assert opportunity.title == "A member portal for Vivienda Sur"
    assert opportunity.roles.count() == 2


def test_a_cancelled_opportunity_cannot_be_edited(coordinator, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.CANCELLED)
    with pytest.raises(ValidationError):
        opportunity_update(actor=coordinator.user, opportunity=opportunity, data={})


# transitions --------------------------------------------------------------------------------------
ILLEGAL = [
    (src, dst) for src in S.values for dst in S.values if dst not in Opportunity.TRANSITIONS[src]
]
LEGAL = [(src, dst) for src in S.values for dst in sorted(Opportunity.TRANSITIONS[src])]


@pytest.mark.parametrize(("src", "dst"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_every_illegal_transition_is_refused_and_leaves_no_history(coordinator, circle, src, dst):
    opportunity = OpportunityFactory(circle=circle, status=src)
    RoleFactory(opportunity=opportunity)
    with pytest.raises(ValidationError) as caught:
        opportunity_transition(actor=coordinator.user, opportunity=opportunity, to_status=dst)
    assert "to_status" in caught.value.message_dict
    opportunity.refresh_from_db()
    assert opportunity.status == src
    assert not OpportunityTransition.objects.exists()


@pytest.mark.parametrize(("src", "dst"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_every_allowed_transition_moves_and_records_who_and_when(coordinator, circle, src, dst):
    opportunity = OpportunityFactory(circle=circle, status=src)
    RoleFactory(opportunity=opportunity, title="Developer")
    # Staffing ends short of a team here (nobody accepted the role): the coordinator says so.
    ends_staffing = dst in (S.STAFFED, S.CLOSED)
    opportunity_transition(
        actor=coordinator.user,
        opportunity=opportunity,
        to_status=dst,
        note="Agreed in the call",
        leave_unfilled=ends_staffing,
    )
    opportunity.refresh_from_db()
    assert opportunity.status == dst
    step = OpportunityTransition.objects.get()
    assert (step.from_status, step.to_status, step.actor) == (src, dst, coordinator.user)
    assert step.note == "Agreed in the call"
    expected = [{"title": "Developer", "hours_per_week": 10}] if ends_staffing else []
    assert step.unfilled_roles == expected
    assert AuditEvent.objects.filter(action="opportunity.transition").count() == 1


def test_an_unknown_status_is_refused(coordinator, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    with pytest.raises(ValidationError):
        opportunity_transition(
            actor=coordinator.user, opportunity=opportunity, to_status="published"
        )


def test_a_draft_without_roles_cannot_open(coordinator, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    with pytest.raises(ValidationError) as caught:
        opportunity_transition(actor=coordinator.user, opportunity=opportunity, to_status=S.OPEN)
    assert "role" in caught.value.message_dict["to_status"][0]
    opportunity.refresh_from_db()
    assert opportunity.status == S.DRAFT


def test_of_two_clicks_on_the_same_transition_only_one_wins(coordinator, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    RoleFactory(opportunity=opportunity)
    first_tab = Opportunity.objects.get(pk=opportunity.pk)
    second_tab = Opportunity.objects.get(pk=opportunity.pk)

    opportunity_transition(actor=coordinator.user, opportunity=first_tab, to_status=S.OPEN)
    with pytest.raises(StaleStatus):
        opportunity_transition(
            actor=coordinator.user, opportunity=second_tab, to_status=S.CANCELLED
        )

    opportunity.refresh_from_db()
    assert opportunity.status == S.OPEN
    assert OpportunityTransition.objects.count() == 1


def test_opening_queues_the_notification_task_after_commit_and_stamps_opened_at(
    coordinator, circle, django_capture_on_commit_callbacks
):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    RoleFactory(opportunity=opportunity)
    with django_capture_on_commit_callbacks(execute=False):
        opportunity_transition(actor=coordinator.user, opportunity=opportunity, to_status=S.OPEN)
    assert queued(notify_fitting_people) == [[opportunity.pk]]
    opportunity.refresh_from_db()
    assert opportunity.opened_at is not None


def test_cancelling_queues_no_notification(coordinator, circle, django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        opportunity_transition(
            actor=coordinator.user, opportunity=opportunity, to_status=S.CANCELLED
        )
    assert queued_work(callbacks) == []


def test_a_member_cannot_move_an_opportunity(member, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.OPEN)
    with pytest.raises(PermissionDenied):
        opportunity_transition(actor=member.user, opportunity=opportunity, to_status=S.CLOSED)


# interest -----------------------------------------------------------------------------------------
def test_a_member_says_they_are_interested_once_and_can_withdraw(member, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.OPEN)
    role = RoleFactory(opportunity=opportunity)

    interest = interest_express(
        actor=member.user, opportunity=opportunity, role=role, note="I did this before."
    )
    assert (interest.person, interest.role) == (member, role)

    with pytest.raises(ValidationError, match="already"):
        interest_express(actor=member.user, opportunity=opportunity)
    assert Interest.objects.count() == 1

    interest_withdraw(actor=member.user, opportunity=opportunity)
    assert not Interest.objects.exists()
    with pytest.raises(ValidationError, match="not said"):
        interest_withdraw(actor=member.user, opportunity=opportunity)


@pytest.mark.parametrize("status", [S.DRAFT, S.TEAM_PROPOSED, S.STAFFED, S.CLOSED, S.CANCELLED])
def test_nobody_can_be_interested_in_an_opportunity_that_is_not_open(member, circle, status):
    opportunity = OpportunityFactory(circle=circle, status=status)
    with pytest.raises(PermissionDenied):
        interest_express(actor=member.user, opportunity=opportunity)


def test_interest_in_a_role_of_another_opportunity_is_refused(member, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.OPEN)
    elsewhere = RoleFactory(opportunity=OpportunityFactory(circle=circle))
    with pytest.raises(ValidationError):
        interest_express(actor=member.user, opportunity=opportunity, role=elsewhere)
    assert not Interest.objects.exists()


def test_a_network_admin_without_a_profile_cannot_be_interested(network_admin, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.OPEN)
    with pytest.raises(PermissionDenied):
        interest_express(actor=network_admin, opportunity=opportunity)
