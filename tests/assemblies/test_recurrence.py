"""A series creates its next assemblies: the nth weekday, at rotating UTC times, once each."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assemblies import services
from assemblies.models import Assembly, AssemblySeries
from tests.assemblies.factories import SeriesFactory, utc

pytestmark = pytest.mark.django_db


def test_first_thursday_at_1500_utc_gives_the_next_three_months():
    series = SeriesFactory(nth=1, weekday=AssemblySeries.Weekday.THURSDAY, slots=["15:00"])

    created = services.series_extend(series=series, count=3, now=utc(2026, 3, 10, 12))

    assert [a.start for a in created] == [
        utc(2026, 4, 2, 15),
        utc(2026, 5, 7, 15),
        utc(2026, 6, 4, 15),
    ]
    assert all(a.title == series.title and a.series == series for a in created)


def test_the_meeting_day_itself_counts_until_the_meeting_starts():
    series = SeriesFactory(nth=1, weekday=AssemblySeries.Weekday.THURSDAY, slots=["15:00"])

    created = services.series_extend(series=series, count=1, now=utc(2026, 4, 2, 14, 59))

    assert [a.start for a in created] == [utc(2026, 4, 2, 15)]


def test_last_friday_of_the_month():
    series = SeriesFactory(nth=-1, weekday=AssemblySeries.Weekday.FRIDAY, slots=["09:30"])

    starts = [s for _d, s in series.occurrences(after=utc(2026, 1, 1), count=2)]

    assert starts == [utc(2026, 1, 30, 9, 30), utc(2026, 2, 27, 9, 30)]


def test_rotation_takes_the_slots_in_turn_counting_from_the_first_month():
    series = SeriesFactory(slots=["06:00", "14:00", "22:00"], starts_on=date(2026, 1, 1))

    starts = [s for _d, s in series.occurrences(after=utc(2026, 1, 1), count=4)]

    assert [s.hour for s in starts] == [6, 14, 22, 6]


def test_extending_twice_creates_nothing_more():
    series = SeriesFactory()
    services.series_extend(series=series, count=3, now=utc(2026, 3, 10))

    again = services.series_extend(series=series, count=3, now=utc(2026, 3, 10))

    assert again == []
    assert Assembly.objects.filter(series=series).count() == 3


def test_a_moved_or_cancelled_assembly_is_not_recreated(network_admin):
    series = SeriesFactory()
    first, second, _third = services.series_extend(series=series, count=3, now=utc(2026, 3, 10))
    services.assembly_update(
        actor=network_admin, assembly=first, data={"start": utc(2026, 4, 3, 16)}
    )
    services.assembly_cancel(actor=network_admin, assembly=second)

    services.series_extend(series=series, count=3, now=utc(2026, 3, 10))

    assert Assembly.objects.filter(series=series).count() == 3
    first.refresh_from_db()
    assert first.start == utc(2026, 4, 3, 16)


def test_a_series_does_not_start_before_its_first_month():
    series = SeriesFactory(starts_on=date(2026, 6, 1))

    created = services.series_extend(series=series, count=1, now=utc(2026, 3, 10))

    assert [a.start.month for a in created] == [6]


@pytest.mark.parametrize("slots", [[], ["15:00"] * 4, ["25:00"], ["noon"], "15:00"])
def test_a_series_needs_one_to_three_valid_times(slots):
    series = SeriesFactory.build(slots=slots)

    with pytest.raises(ValidationError):
        series.full_clean()


def test_a_member_cannot_extend_a_series(member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.series_extend(series=SeriesFactory(), actor=member.user)
