"""The assembly cast on top of the fixed one: a coordinator, a facilitator, a note-taker."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assemblies import services
from circles.models import CircleMembership
from tests.assemblies.factories import AssemblyFactory
from tests.circles.factories import CircleFactory, CircleMembershipFactory
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
        organisation=other_coop,
        display_name="Fede Facilitator",
        user__email="fede@facttic.coop",
        timezone="America/Argentina/Buenos_Aires",
        language="es",
        active_member=True,
    )


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


@pytest.fixture
def open_assembly(facilitator, note_taker):
    """An assembly of today, opened by its facilitator: the meeting is on."""
    assembly = AssemblyFactory(
        title="Today's assembly",
        start=timezone.now().replace(minute=0, second=0, microsecond=0),
        facilitator=facilitator,
        note_taker=note_taker,
    )
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="open")
    return assembly
