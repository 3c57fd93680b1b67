"""The time poll's week grid in one reader's timezone: pure, so the DST cases are tested alone.

Slots are stored in UTC; each is placed on the day and at the clock time it has in the reader's
zone (zoneinfo, so a slot after a DST change shows its new offset), then grouped Monday to
Sunday by week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass
class Day:
    day: date
    slots: list[tuple[Any, datetime]] = field(default_factory=list)  # (slot, local start)


@dataclass
class Week:
    monday: date
    days: list[Day]


def week_grid(slots: Iterable[tuple[Any, datetime]], zone: str) -> list[Week]:
    """`slots` are (slot, aware start) pairs; the weeks hold every day Monday to Sunday of each
    week with a slot, and each day its slots in local time, earliest first."""
    tz = ZoneInfo(zone)
    local = sorted(((slot, start.astimezone(tz)) for slot, start in slots), key=lambda p: p[1])
    weeks: dict[date, Week] = {}
    for slot, start in local:
        monday = start.date() - timedelta(days=start.weekday())
        week = weeks.get(monday)
        if week is None:
            week = Week(monday, [Day(monday + timedelta(days=i)) for i in range(7)])
            weeks[monday] = week
        week.days[start.weekday()].slots.append((slot, start))
    return [weeks[k] for k in sorted(weeks)]
