"""Fair time slots: how many active members a meeting time suits, in their own timezone.

A slot suits a person when it starts between 08:00 and 20:00 where they live, on that very
date (zoneinfo, so daylight-saving time is counted as it will be on the day)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count

from assemblies.models import nth_weekday
from members.models import Person

DAY_STARTS = time(8, 0)
DAY_ENDS = time(20, 0)


def active_people_by_timezone() -> dict[str, int]:
    """Active members counted per IANA timezone (one query)."""
    rows = (
        Person.objects.filter(participation=Person.Participation.ACTIVE)
        .values("timezone")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["timezone"]: row["n"] for row in rows}


def suits(start: datetime, zone: str) -> bool:
    local = start.astimezone(ZoneInfo(zone)).time()
    return DAY_STARTS <= local < DAY_ENDS


def slot_count(start: datetime, zones: dict[str, int] | None = None) -> int:
    """How many active members the slot falls inside 08:00-20:00 local for."""
    zones = active_people_by_timezone() if zones is None else zones
    return sum(n for zone, n in zones.items() if suits(start, zone))


@dataclass(frozen=True)
class Slot:
    start: datetime
    suited: int
    total: int

    @property
    def share(self) -> float:
        return self.suited / self.total if self.total else 0.0


def best_slots(
    *, year: int, month: int, weekday: int, nth: int, limit: int = 5, step_minutes: int = 60
) -> list[Slot]:
    """The meeting times on that month's nth weekday that suit the most active members."""
    day = nth_weekday(year, month, weekday, nth)
    if day is None:
        return []
    zones = active_people_by_timezone()
    total = sum(zones.values())
    slots = [Slot(start, slot_count(start, zones), total) for start in _starts(day, step_minutes)]
    slots.sort(key=lambda s: (-s.suited, s.start))
    return slots[:limit]


def _starts(day: date, step_minutes: int) -> list[datetime]:
    base = datetime.combine(day, time(0, 0), tzinfo=UTC)
    return [base.replace(hour=m // 60, minute=m % 60) for m in range(0, 24 * 60, step_minutes)]


def best_rotation(
    *, year: int, month: int, weekday: int, nth: int, size: int = 2
) -> tuple[list[Slot], int]:
    """Two or three hourly slots to rotate through: the set that suits the most active members at
    least once (ties: the set whose worst slot is best), so the same countries do not always meet
    at night. Returns the slots in time order and how many people they reach."""
    day = nth_weekday(year, month, weekday, nth)
    if day is None:
        return [], 0
    zones = active_people_by_timezone()
    total = sum(zones.values())
    starts = _starts(day, 60)
    suited = [frozenset(z for z in zones if suits(start, z)) for start in starts]
    counts = [sum(zones[z] for z in group) for group in suited]
    best: tuple[int, int, tuple[int, ...]] = (-1, -1, ())
    for combo in itertools.combinations(range(len(starts)), size):
        reached = sum(zones[z] for z in frozenset().union(*(suited[i] for i in combo)))
        score = (reached, min(counts[i] for i in combo))
        if score > best[:2]:
            best = (*score, combo)
    return [Slot(starts[i], counts[i], total) for i in best[2]], max(best[0], 0)
