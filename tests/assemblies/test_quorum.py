"""Quorum: a configurable share of the active members; RSVPs before, attendance once open."""

from __future__ import annotations

import pytest

from assemblies import selectors, services
from assemblies.models import ReminderSettings, Rsvp
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_active(coop):
    return [PersonFactory(organisation=coop, active_member=True) for _ in range(10)]


def test_quorum_is_a_share_of_active_members_rounded_up(assembly, ten_active, coop):
    PersonFactory(organisation=coop)  # holds no circle membership: passive
    # the facilitator and note-taker of the fixture are active too: 12 active, 30 % -> 4
    quorum = selectors.quorum(assembly)

    assert (quorum.active, quorum.percent, quorum.needed) == (12, 30, 4)


def test_before_the_meeting_those_going_count(assembly, ten_active):
    for person in ten_active[:4]:
        Rsvp.objects.create(assembly=assembly, person=person, answer=Rsvp.Answer.GOING)
    Rsvp.objects.create(assembly=assembly, person=ten_active[4], answer=Rsvp.Answer.MAYBE)

    quorum = selectors.quorum(assembly)

    assert (quorum.going, quorum.maybe, quorum.count, quorum.reached) == (4, 1, 4, True)


def test_once_open_only_people_present_count(open_assembly, ten_active, note_taker):
    assembly = open_assembly
    for person in ten_active[:5]:
        Rsvp.objects.create(assembly=assembly, person=person, answer=Rsvp.Answer.GOING)
    services.attendance_set(actor=note_taker.user, assembly=assembly, people=ten_active[:3])

    quorum = selectors.quorum(assembly)

    assert (quorum.count, quorum.needed, quorum.reached) == (3, 4, False)


def test_the_share_is_a_setting(assembly, ten_active):
    config = ReminderSettings.load()
    config.quorum_percent = 50
    config.save()

    assert selectors.quorum(assembly).needed == 6


def test_quorum_costs_a_fixed_number_of_queries(assembly, ten_active, django_assert_num_queries):
    # the settings, the roster, the RSVPs, attendance and the live delegations
    with django_assert_num_queries(5):
        selectors.quorum(assembly)
