"""Opportunity alerts and team invitations with a worker killed in the middle of sending them
(issue "Nothing lost, nothing doubled"): everyone due gets their email once, identified by a
stable Message-ID; a claim the dead worker left is taken again after DELIVERY_RECLAIM_SECONDS."""

from __future__ import annotations

import pytest
from django.db import transaction

from members.models import Person
from patio.emails import message_id
from projects.models import MatchRun, Opportunity, OpportunityNotification, TeamMembership
from projects.services.opportunities import opportunity_transition
from projects.services.staffing import invitations_send, match_run_request
from projects.services.teams import project_from_opportunity
from tests.factories import PersonFactory, PersonLanguageFactory, PersonSkillFactory
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory
from tests.worker_fixtures import assert_each_once, kill_mid_send, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def opening(circle, coordinator, django_skill, english):
    """An opportunity in draft needing a Django developer working in English."""
    opportunity = OpportunityFactory(
        circle=circle, posted_by=coordinator, status=Opportunity.Status.DRAFT, title="Portal"
    )
    opportunity.working_languages.add(english)
    role = RoleFactory(opportunity=opportunity, title="Backend developer", hours_per_week=10)
    RoleSkillFactory(role=role, skill=django_skill, min_level=2)
    return opportunity


def test_alerts_a_killed_worker_was_sending_reach_every_fitting_person_once(
    opening, coordinator, django_skill, english, tmp_path
):
    for n in range(10):
        person = PersonFactory(
            display_name=f"Dev {n}", user__email=f"dev{n}@example.coop", hours_per_week=20
        )
        PersonSkillFactory(person=person, skill=django_skill, level=3)
        PersonLanguageFactory(person=person, language=english)

    def open_it() -> None:
        with transaction.atomic():
            opportunity_transition(
                actor=coordinator.user, opportunity=opening, to_status=Opportunity.Status.OPEN
            )

    immediate = OpportunityNotification.objects.filter(
        opportunity=opening, channel=Person.Notify.IMMEDIATELY
    )
    sent = kill_mid_send(
        tmp_path / "mail.log",
        queue=open_it,
        kill_after=3,
        done=lambda: immediate.count() == 10 and not immediate.filter(sent_at=None).exists(),
    )

    assert_each_once(
        sent, {n.person.user.email: message_id(n) for n in immediate.select_related("person")}
    )


def test_team_invitations_a_killed_worker_was_sending_reach_every_invitee_once(
    staffing, coordinator, tmp_path
):
    project = project_from_opportunity(actor=coordinator.user, opportunity=staffing[0])
    invited = TeamMembership.objects.filter(project=project, status=TeamMembership.Status.INVITED)

    def match_and_invite() -> None:
        run = match_run_request(actor=coordinator.user, project=project)
        wait_until(
            lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE, timeout=60
        )
        invitations_send(actor=coordinator.user, project=project)

    sent = kill_mid_send(
        tmp_path / "mail.log",
        queue=match_and_invite,
        kill_after=1,
        mail_delay=1.0,
        done=lambda: invited.count() == 3 and not invited.filter(invitation_sent_at=None).exists(),
    )

    assert_each_once(
        sent,
        {
            m.person.email_address: message_id(m, "invitation")
            for m in invited.select_related("person__user")
        },
    )
