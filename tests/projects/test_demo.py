"""The demo opportunities: a handful in different states, added once however often seeding runs."""

from __future__ import annotations

import pytest
from django.core import mail

from projects import demo
from projects.models import Opportunity, OpportunityTransition, Project
from projects.selectors.opportunities import unfilled_roles
from tests.circles.factories import CoordinatorFactory
from tests.conftest import queued_work
from tests.factories import PersonSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_seeding_twice_adds_the_opportunities_once_in_several_states(
    coordinator, other_coordinator, member, django_capture_on_commit_callbacks
):
    PersonSkillFactory(person=member, skill=SkillFactory(name="Django"))
    said = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        demo.seed(say=said.append)
        demo.seed(say=said.append)

    assert Opportunity.objects.count() == len(demo.SPECS)
    assert said == [
        f"projects: {len(demo.SPECS)} job opportunities added.",
        f"projects: {1 + len(demo.STANDALONE)} projects added.",
        f"projects: {len(demo.PAST)} finished client projects added.",
        "projects: 0 job opportunities added.",
        "projects: 0 projects added.",
        "projects: 0 finished client projects added.",
    ]
    formed = Project.objects.get(opportunity__title=demo.FROM_OPPORTUNITY)
    assert formed.roles.count() == 3 and formed.match_runs.get().status == "done"
    standalone = Project.objects.filter(opportunity__isnull=True)
    assert standalone.count() == len(demo.STANDALONE) + len(demo.PAST)
    assert set(Project.objects.values_list("phase", flat=True)) == set(Project.Phase.values)
    # Every demo project with open roles opens on a proposed team.
    staffing = Project.objects.filter(status__in=[Project.Status.FORMING, Project.Status.ACTIVE])
    for project in staffing.filter(roles__filled=False).distinct():
        assert project.match_runs.get().status == "done"
    assert len(set(Opportunity.objects.values_list("status", flat=True))) == 7
    staffed = Opportunity.objects.get(status=Opportunity.Status.STAFFED)
    assert [t.to_status for t in OpportunityTransition.objects.filter(opportunity=staffed)] == [
        "open",
        "matching",
        "proposed",
        "staffed",
    ]
    assert Opportunity.objects.get(title__startswith="Member portal").interests.exists()
    assert queued_work(callbacks) == [] and mail.outbox == []  # seeding mails nobody


def test_without_circles_seeding_says_so_and_adds_nothing(db):
    said = []
    demo.seed(say=said.append)
    assert "no circles" in said[0]
    assert not Opportunity.objects.exists()


def test_a_coordinator_without_an_account_is_not_used_as_poster(coordinator, circle):
    CoordinatorFactory(circle=circle, person__user=None)
    demo.seed(say=lambda _text: None)
    assert set(Opportunity.objects.values_list("posted_by", flat=True)) == {coordinator.pk}


def test_a_staffed_or_closed_demo_opportunity_has_an_accepted_member_in_every_role(
    coordinator, other_coordinator, member
):
    demo.seed(say=lambda _text: None)

    for opportunity in Opportunity.objects.filter(status__in=["staffed", "closed"]):
        project = Project.objects.get(opportunity=opportunity)
        seats = sum(role.headcount for role in opportunity.roles.all())
        assert project.roles.count() == seats
        for role in project.roles.all():
            assert role.memberships.filter(status="accepted").count() == 1, role
        assert unfilled_roles(opportunity) == []
