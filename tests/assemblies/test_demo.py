"""The demo seed: assemblies to look at after `make run`, and nothing doubled on a second run."""

from __future__ import annotations

import pytest

from assemblies import demo
from assemblies.models import ActionItem, AgendaItem, Assembly, CircleUpdate, Decision
from circles.models import CircleMembership
from tests.assemblies.factories import CircleFactory
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
    assert Assembly.objects.filter(status="planned").count() == 3
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
