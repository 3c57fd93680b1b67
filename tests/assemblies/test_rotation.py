"""Rotation: the series suggests the next facilitator and note-taker fairly among volunteers;
an admin confirms (or picks others)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies import rotation, selectors, services
from assemblies.models import Assembly, SeriesVolunteer
from tests.assemblies.factories import AssemblyFactory, SeriesFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

T = datetime(2026, 1, 1, tzinfo=UTC)


def test_never_served_come_first_then_the_longest_ago():
    order = rotation.ranked(
        [(1, T), (2, T + timedelta(days=1)), (3, T + timedelta(days=2))],
        {1: T + timedelta(days=60), 2: T + timedelta(days=30)},
    )
    assert [v.person_id for v in order] == [3, 2, 1]


def test_ties_go_to_who_volunteered_first_then_the_lower_id():
    order = rotation.ranked([(5, T), (4, T), (3, T - timedelta(days=1))], {})
    assert [v.person_id for v in order] == [3, 4, 5]


def test_one_person_never_gets_both_roles():
    order = rotation.ranked([(1, T)], {})
    assert rotation.suggestion(order) == (1, None)


@pytest.fixture
def series(db):
    return SeriesFactory(title="Monthly")


@pytest.fixture
def cast(coop):
    return [PersonFactory(organisation=coop, display_name=name) for name in "ABCD"]


def _served(series, when, facilitator, note_taker, status=Assembly.Status.CLOSED):
    return AssemblyFactory(
        series=series, start=when, facilitator=facilitator, note_taker=note_taker, status=status
    )


def test_the_series_suggests_among_volunteers_by_their_service(series, cast):
    a, b, c, d = cast
    for person in (a, b, c):
        services.series_volunteer_set(actor=person.user, series=series, volunteering=True)
    now = datetime.now(UTC)
    _served(series, now - timedelta(days=60), a, d)
    _served(series, now - timedelta(days=30), b, a)
    _served(series, now - timedelta(days=15), d, d, status=Assembly.Status.CANCELLED)
    upcoming = AssemblyFactory(series=series, start=now + timedelta(days=10))

    found = selectors.rotation_suggestion(upcoming)

    # C never served; A and B both last served 30 days ago (A took the notes): A volunteered
    # first. D's cancelled assembly is no service, and D is no volunteer anyway.
    assert (found.facilitator, found.note_taker) == (c, a)
    assert [p for p, _last in found.ranked] == [c, a, b]
    assert d not in [p for p, _last in found.ranked]  # not a volunteer


def test_volunteering_is_undone(series, cast):
    services.series_volunteer_set(actor=cast[0].user, series=series, volunteering=True)
    services.series_volunteer_set(actor=cast[0].user, series=series, volunteering=False)
    assert not SeriesVolunteer.objects.exists()


def test_an_admin_confirms_the_roles_and_not_one_person_for_both(series, cast, network_admin):
    upcoming = AssemblyFactory(series=series)
    with pytest.raises(ValidationError):
        services.rotation_confirm(
            actor=network_admin, assembly=upcoming, facilitator=cast[0], note_taker=cast[0]
        )
    services.rotation_confirm(
        actor=network_admin, assembly=upcoming, facilitator=cast[0], note_taker=cast[1]
    )
    upcoming.refresh_from_db()
    assert (upcoming.facilitator, upcoming.note_taker) == (cast[0], cast[1])


def test_a_member_cannot_confirm(series, cast):
    upcoming = AssemblyFactory(series=series)
    with pytest.raises(PermissionDenied):
        services.rotation_confirm(
            actor=cast[0].user, assembly=upcoming, facilitator=cast[0], note_taker=cast[1]
        )


def test_the_next_assembly_page_shows_the_suggestion(series, cast, client, network_admin):
    for person in cast[:2]:
        services.series_volunteer_set(actor=person.user, series=series, volunteering=True)
    upcoming = AssemblyFactory(series=series)
    client.force_login(network_admin)

    page = client.get(upcoming.get_absolute_url()).content.decode()

    assert "The series suggests A to facilitate" in page
    assert "and B to take notes" in page
    assert 'name="rotation-facilitator"' in page
