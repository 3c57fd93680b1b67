"""Who facilitates and who takes notes next: a fair suggestion among a series' volunteers.

The rule, deterministic so everyone can check it:
1. Only volunteers (people who opted in for the series) are suggested.
2. Those who never served come first, then those whose last service (either role, in an
   earlier assembly of the series that was not cancelled) is oldest.
3. Ties go to whoever volunteered first, then to the lower person id.
4. The first is suggested to facilitate, the next one to take notes: never the same person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Volunteer:
    person_id: int
    volunteered_at: datetime
    last_served: datetime | None


def ranked(
    volunteers: Iterable[tuple[int, datetime]], last_served: Mapping[int, datetime]
) -> list[Volunteer]:
    """The volunteers in the order the rule gives."""
    rows = [Volunteer(pk, since, last_served.get(pk)) for pk, since in volunteers]
    return sorted(
        rows,
        key=lambda v: (
            v.last_served is not None,
            v.last_served or v.volunteered_at,
            v.volunteered_at,
            v.person_id,
        ),
    )


def suggestion(order: list[Volunteer]) -> tuple[int | None, int | None]:
    """The person ids suggested to facilitate and to take notes."""
    facilitator = order[0].person_id if order else None
    note_taker = order[1].person_id if len(order) > 1 else None
    return facilitator, note_taker
