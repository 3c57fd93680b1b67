"""The demo seed: assemblies to look at after `make run`, and nothing doubled on a second run."""

from __future__ import annotations

import pytest

from assemblies import demo, selectors, services
from assemblies.models import ActionItem, AgendaItem, Assembly, CircleUpdate, Decision
from circles.models import CircleMembership
from circles.services import participation_refresh
from tests.circles.factories import CircleFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return tuple(
        m.objects.count() for m in (Assembly, AgendaItem, Decision, ActionItem, CircleUpdate)
    )


def test_the_demo_has_a_past_assembly_with_outcomes_and_planned_ones(coop):
    PersonFactory(organisation=coop, user__email="coordinator@patio.example")
    member = PersonFactory(organisation=coop, user__email="member@patio.example")
    tech = CircleFactory(name="Tech")
    CircleMembership.objects.create(circle=tech, person=member, role="coordinator")
    said = []

    demo.seed(say=said.append)

    assert Assembly.objects.filter(status="closed").count() == 1
    assert Assembly.objects.filter(status="planned").count() == 4
    assert Decision.objects.count() == 2
    assert ActionItem.objects.filter(owner=member).exists()
    assert CircleUpdate.objects.filter(circle=tech, author=member).exists()
    assert said and "assemblies" in said[0]


def test_seeding_twice_adds_nothing(coop):
    PersonFactory(organisation=coop, user__email="member@patio.example")
    demo.seed(say=lambda _m: None)
    before = _counts()

    demo.seed(say=lambda _m: None)

    assert _counts() == before


def test_the_past_assembly_had_quorum_and_shows_a_correction(coop):
    note_taker = PersonFactory(organisation=coop, user__email="member@patio.example")
    tech = CircleFactory(name="Tech")
    for person in [note_taker, *(PersonFactory(organisation=coop) for _ in range(4))]:
        CircleMembership.objects.create(circle=tech, person=person)
    participation_refresh()

    demo.seed(say=lambda _m: None)

    past = Assembly.objects.get(status="closed")
    assert selectors.quorum(past).reached
    assert not past.decisions.filter(without_quorum=True).exists()
    assert past.corrections.get(status="noted").author == note_taker


def test_the_demo_has_an_assembly_the_facilitator_can_open_today(coop):
    facilitator = PersonFactory(organisation=coop, user__email="coordinator@patio.example")

    demo.seed(say=lambda _m: None)

    today = Assembly.objects.get(title=demo.TODAY_TITLE)
    assert today.facilitator == facilitator
    services.assembly_set_status(actor=facilitator.user, assembly=today, status="open")
    assert today.current_item.title == "Check-in"


def test_the_demo_shows_draft_minutes_delegations_and_a_rotation(coop):
    from assemblies.models import Correction, Minutes, SeriesVolunteer, VoteDelegation

    facilitator = PersonFactory(organisation=coop, user__email="coordinator@patio.example")
    note_taker = PersonFactory(organisation=coop, user__email="member@patio.example")
    tech = CircleFactory(name="Tech")
    people = [PersonFactory(organisation=coop) for _ in range(8)]
    for person in [facilitator, note_taker, *people]:
        CircleMembership.objects.create(circle=tech, person=person)
    participation_refresh()

    demo.seed(say=lambda _m: None)
    demo.seed(say=lambda _m: None)

    minutes = Minutes.objects.get()
    assert not minutes.is_approved and minutes.window_open(minutes.published_at)
    assert demo.ACCEPTED_TEXT in minutes.text
    statuses = sorted(Correction.objects.exclude(status="noted").values_list("status", flat=True))
    assert statuses == ["accepted", "suggested"]
    assert VoteDelegation.objects.filter(revoked_at__isnull=True).count() == 2
    upcoming = VoteDelegation.objects.first().assembly
    assert selectors.quorum(upcoming).active == 10
    assert SeriesVolunteer.objects.count() == 4
    rotation = selectors.rotation_suggestion(upcoming)
    assert rotation.facilitator not in (facilitator, note_taker)
    assert rotation.note_taker not in (facilitator, note_taker, rotation.facilitator)
