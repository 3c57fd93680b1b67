"""Every time is shown in the reader's timezone, across daylight-saving changes and across the
date line; the UTC time is shown beside it."""

from __future__ import annotations

import pytest

from assemblies.emails import reminder_message
from assemblies.models import ReminderDelivery, ReminderSettings
from tests.assemblies.factories import AssemblyFactory, utc
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BEFORE = utc(2026, 3, 5, 15)  # before the US and EU clock changes of March 2026
AFTER = utc(2026, 4, 2, 15)  # after both

NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM and PM
CASES = [
    # zone, local start before, local start after (CLDR's English: a weekday, a 12-hour clock)
    (
        "Europe/Sofia",
        f"Thursday, March 5, 2026, 5:00{NNBSP}PM",
        f"Thursday, April 2, 2026, 6:00{NNBSP}PM",
    ),
    (
        "America/Argentina/Buenos_Aires",
        f"Thursday, March 5, 2026, 12:00{NNBSP}PM",
        f"Thursday, April 2, 2026, 12:00{NNBSP}PM",
    ),
    (
        "America/Mexico_City",
        f"Thursday, March 5, 2026, 9:00{NNBSP}AM",
        f"Thursday, April 2, 2026, 9:00{NNBSP}AM",
    ),
    (
        "Asia/Tokyo",
        f"Friday, March 6, 2026, 12:00{NNBSP}AM",
        f"Friday, April 3, 2026, 12:00{NNBSP}AM",
    ),
    (
        "Europe/Istanbul",
        f"Thursday, March 5, 2026, 6:00{NNBSP}PM",
        f"Thursday, April 2, 2026, 6:00{NNBSP}PM",
    ),
    (
        "America/Chicago",
        f"Thursday, March 5, 2026, 9:00{NNBSP}AM",
        f"Thursday, April 2, 2026, 10:00{NNBSP}AM",
    ),
]


def _body(person, start) -> str:
    assembly = AssemblyFactory(start=start)
    delivery = ReminderDelivery(assembly=assembly, person=person, kind="day_before")
    message = reminder_message(delivery, ics=b"", config=ReminderSettings.load())
    return message.body


@pytest.mark.parametrize(("zone", "before", "after"), CASES)
def test_reminder_shows_the_local_time_on_both_sides_of_the_clock_change(coop, zone, before, after):
    person = PersonFactory(organisation=coop, timezone=zone, language="en")

    assert f"Your time: {before} ({zone})" in _body(person, BEFORE)
    assert f"Your time: {after} ({zone})" in _body(person, AFTER)
    assert f"UTC: April 2, 2026, 3:00{NNBSP}PM (UTC)" in _body(person, AFTER)


def test_the_day_boundary_moves_the_date_for_people_east_of_it(coop):
    tokyo = PersonFactory(organisation=coop, timezone="Asia/Tokyo")
    chicago = PersonFactory(organisation=coop, timezone="America/Chicago")
    late = utc(2026, 4, 2, 23, 30)

    assert f"Friday, April 3, 2026, 8:30{NNBSP}AM" in _body(tokyo, late)
    assert f"Thursday, April 2, 2026, 6:30{NNBSP}PM" in _body(chicago, late)


def test_the_reminder_is_written_in_the_persons_language(coop):
    person = PersonFactory(organisation=coop, timezone="America/Mexico_City", language="es")

    body = _body(person, AFTER)

    assert "jueves, 2 de abril de 2026, 9:00 (America/Mexico_City)" in body
    assert "UTC: 2 de abril de 2026, 15:00 (UTC)" in body


@pytest.mark.parametrize(("zone", "before", "after"), CASES)
def test_the_assembly_page_shows_the_readers_local_time_across_the_clock_change(
    client, coop, zone, before, after
):
    reader = PersonFactory(organisation=coop, timezone=zone)
    client.force_login(reader.user)

    for start, expected in ((BEFORE, before), (AFTER, after)):
        html = client.get(AssemblyFactory(start=start).get_absolute_url()).content.decode()
        assert expected in html
        assert f"({zone} · 3:00{NNBSP}PM UTC)" in html
