"""The writes: circle updates, proposals, moving, opening and closing, outcomes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assemblies import services
from assemblies.models import AgendaItem, CircleUpdate
from audit.models import AuditEvent
from tests.assemblies.factories import AgendaItemFactory, AssemblyFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_posts_and_then_edits_the_circles_one_update(assembly, circle, coordinator):
    services.circle_update_save(
        actor=coordinator.user, assembly=assembly, circle=circle, data={"done": "A", "next": "B"}
    )
    services.circle_update_save(
        actor=coordinator.user, assembly=assembly, circle=circle, data={"done": "A, and more"}
    )

    update = CircleUpdate.objects.get()
    assert (update.done, update.next, update.author) == ("A, and more", "B", coordinator)


def test_an_empty_update_is_refused(assembly, circle, coordinator):
    with pytest.raises(ValidationError):
        services.circle_update_save(
            actor=coordinator.user, assembly=assembly, circle=circle, data={"done": "  "}
        )
    assert not CircleUpdate.objects.exists()


def test_a_coordinator_of_another_circle_cannot_post_for_this_one(assembly, coordinator):
    from tests.circles.factories import CircleFactory

    with pytest.raises(PermissionDenied):
        services.circle_update_save(
            actor=coordinator.user,
            assembly=assembly,
            circle=CircleFactory(name="Care"),
            data={"done": "x"},
        )


def test_members_cannot_propose_a_circle_update_item(assembly, member):
    with pytest.raises(ValidationError):
        services.agenda_item_propose(
            actor=member.user, assembly=assembly, title="Me", kind=AgendaItem.Kind.CIRCLE_UPDATE
        )


def test_a_proposal_joins_the_end_of_the_agenda(assembly, member):
    AgendaItemFactory(assembly=assembly, order=50)

    item = services.agenda_item_propose(actor=member.user, assembly=assembly, title="Holidays")

    assert item.order == 60 and item.proposer == member


def test_opening_starts_at_the_first_item_and_closing_is_final(facilitator):
    assembly = AssemblyFactory(start=timezone.now(), facilitator=facilitator)
    first = AgendaItemFactory(assembly=assembly, order=10)
    AgendaItemFactory(assembly=assembly, order=20)

    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="open")
    assert assembly.current_item == first
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="closed")
    with pytest.raises(ValidationError):
        services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="open")


def test_a_closed_assembly_cannot_be_moved(open_assembly, network_admin, facilitator):
    assembly = open_assembly
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="closed")

    with pytest.raises(ValidationError):
        services.assembly_update(actor=network_admin, assembly=assembly, data={"title": "Renamed"})


def test_decisions_are_audited(open_assembly, facilitator):
    services.decision_record(
        actor=facilitator.user,
        assembly=open_assembly,
        text="Yes.",
        method="consensus",
        outcome="adopted",
        without_quorum=True,
    )

    assert AuditEvent.objects.filter(action="assembly.decision").count() == 1


def test_an_item_of_another_assembly_cannot_carry_a_decision(assembly, facilitator):
    elsewhere = AgendaItemFactory(assembly=AssemblyFactory())

    with pytest.raises(ValidationError):
        services.decision_record(
            actor=facilitator.user,
            assembly=assembly,
            text="Yes.",
            method="consent",
            outcome="adopted",
            agenda_item=elsewhere,
        )
