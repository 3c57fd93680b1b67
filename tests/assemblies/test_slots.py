"""Fair time slots count the active members for whom a time falls in 08:00-20:00 at home."""

from __future__ import annotations

import pytest

from assemblies import slots
from tests.assemblies.factories import utc
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(coop):
    def people(zone: str, n: int) -> None:
        for _ in range(n):
            PersonFactory(organisation=coop, timezone=zone, user=None, active_member=True)

    people("Europe/Sofia", 5)
    people("America/Chicago", 3)
    people("Asia/Tokyo", 2)
    PersonFactory(organisation=coop, timezone="Asia/Tokyo", user=None)  # no circle: passive


def test_a_slot_counts_only_active_members_whose_local_time_is_daytime(network):
    # 15:00 UTC in July: Sofia 18:00 (yes), Chicago 10:00 (yes), Tokyo 00:00 (no).
    assert slots.slot_count(utc(2026, 7, 2, 15)) == 8


def test_daylight_saving_time_is_counted_as_it_will_be_on_the_day(network):
    # 05:30 UTC: Sofia 07:30 in winter (too early), 08:30 in summer (fine); Tokyo 14:30 both.
    winter, summer = utc(2026, 1, 8, 5, 30), utc(2026, 7, 2, 5, 30)

    assert slots.slot_count(winter) == 2
    assert slots.slot_count(summer) == 2 + 5


def test_the_window_starts_at_eight_and_ends_before_eight_in_the_evening(network):
    assert slots.suits(utc(2026, 1, 8, 6, 0), "Europe/Sofia")  # 08:00
    assert not slots.suits(utc(2026, 1, 8, 18, 0), "Europe/Sofia")  # 20:00


def test_best_slots_of_a_month_come_first_by_people_suited(network):
    best = slots.best_slots(year=2026, month=7, weekday=3, nth=1, limit=3)

    assert [s.suited for s in best] == [8, 8, 8]
    assert all(s.start.date().isoformat() == "2026-07-02" for s in best)
    assert best[0].total == 10


def test_a_rotation_reaches_the_people_one_slot_leaves_at_night(network):
    rotation, reached = slots.best_rotation(year=2026, month=7, weekday=3, nth=1, size=2)

    assert reached == 10  # nobody always meets at night
    assert len(rotation) == 2
    assert any(slots.suits(s.start, "Asia/Tokyo") for s in rotation)
