"""The assembly cast on top of the fixed one: a coordinator, a facilitator, a note-taker."""

from __future__ import annotations

import pytest

from circles.models import CircleMembership
from tests.assemblies.factories import AssemblyFactory, CircleFactory
from tests.circles.factories import CircleMembershipFactory
from tests.factories import PersonFactory


@pytest.fixture
def circle(db):
    return CircleFactory(name="Tech", slug="tech")


@pytest.fixture
def coordinator(coop, circle):
    person = PersonFactory(
        organisation=coop, display_name="Cora Coordinator", user__email="cora@camplight.coop"
    )
    CircleMembershipFactory(circle=circle, person=person, role=CircleMembership.Role.COORDINATOR)
    return person


@pytest.fixture
def facilitator(other_coop):
    return PersonFactory(
        organisation=other_coop, display_name="Fede Facilitator", user__email="fede@facttic.coop",
        timezone="America/Argentina/Buenos_Aires", language="es", active_member=True,
    )  # fmt: skip


@pytest.fixture
def note_taker(coop):
    return PersonFactory(
        organisation=coop,
        display_name="Nora Notes",
        user__email="nora@camplight.coop",
        active_member=True,
    )


@pytest.fixture
def assembly(facilitator, note_taker):
    return AssemblyFactory(title="June assembly", facilitator=facilitator, note_taker=note_taker)
