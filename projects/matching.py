"""Team matching as pure functions on plain data: no ORM, no settings, no translations.

The projects app turns rows into a `Team` and a `Pool` (`selectors.matching_runs.matching_input`),
calls `match`, and stores the `Result`; the benchmark and the brute-force tests build them directly.

How a team is matched:

1. Hard filters per role, vectorised over the pool: open to matching, active, not declined this
   project, available by the start date, enough free hours, one of the role's languages, a
   working day that overlaps the team's core hours (UTC) by the required minimum on every day of
   the project (the person's timezone, daylight saving time included), and every required skill
   at its minimum level. The people each filter leaves out are counted for the gap report.
2. A score per (person, role), 0 to 100, in four parts that each carry the facts that explain
   them: skill fit (60), language (10), overlap with the core hours (20), spare hours (10).
3. The objective rewards every filled role with FILL points plus its score, so a fuller team
   always wins over a slightly better-scored smaller one; the source co-op's people win ties.
   Everything is integer (hundredths of a point), so equal scores are exactly equal.
4. Pruning keeps, per role, the best candidates of the R best co-ops (R = team size), at most
   min(R, K) per co-op. When every person takes at most one role this loses nothing: a better
   kept candidate who is unused and either of the same co-op or of a co-op the team does not use
   yet can always replace a dropped one without breaking a constraint.
5. Solving: `linear_sum_assignment` when nobody can take two roles; its answer is optimal when it
   also meets the co-op constraints. Otherwise: a rule-keeping greedy team with local search
   (`_Search`: the better of a co-op-cover start and a repeated-assignment start), the linear
   relaxation (an honest bound, and reduced costs that drop every pair that cannot be part of
   a team better than the greedy one: lossless, not a heuristic), then the integer program
   (`scipy.optimize.milp`, HiGHS) on the pairs left, under the time limit. The result is the
   better of the solver's team and the greedy one, so never worse than greedy and never empty
   when greedy finds someone. The bound is the smallest of every role with its best candidate,
   the relaxation and the solver's dual bound, and never below the team found; "optimal" only
   when proven. When no team can reach N co-ops (a largest matching of roles to new co-ops
   says so), the constraint is dropped and the result says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from patio.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
else:
    np = lazy_module("numpy")  # only matching uses it: a web worker loads it when it matches


# SciPy is imported when the matcher first solves, not at the top: every web worker imports
# this module for its plain types (Pool, Team), and scipy.optimize is about 40 MB of a worker's
# memory and more than a second of its start. The solvers are module names, as before.
def linear_sum_assignment(*args: Any, **kwargs: Any) -> Any:
    from scipy.optimize import linear_sum_assignment as solve

    return solve(*args, **kwargs)


def milp(*args: Any, **kwargs: Any) -> Any:
    from scipy.optimize import milp as solve

    return solve(*args, **kwargs)


def linprog(*args: Any, **kwargs: Any) -> Any:
    from scipy.optimize import linprog as solve

    return solve(*args, **kwargs)


FILL = 100  # points for every filled role, on top of its score
MAX_SKILLS, MAX_LANGUAGE, MAX_OVERLAP, MAX_SPARE = 60, 10, 20, 10
MEETS_MINIMUM = 0.6  # the skill fit of someone exactly at the minimum level
TOP_LEVEL = 4
ALTERNATES = 3
DEFAULT_SPAN_DAYS = 90  # the period checked for overlap when a project has no end date
MAX_SPAN_DAYS = 400

# Filter names (the gap report's keys; the projects app words them for people).
NOT_OPTED_IN, INACTIVE, DECLINED = "not_opted_in", "inactive", "declined"
NOT_AVAILABLE, HOURS, LANGUAGE, OVERLAP, SKILL = (
    "not_available",
    "hours",
    "language",
    "overlap",
    "skill",
)


# Input --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Requirement:
    skill: int
    min_level: int
    weight: int = 3
    name: str = ""


@dataclass(frozen=True)
class Role:
    id: int
    title: str
    hours: int
    requirements: tuple[Requirement, ...] = ()
    languages: frozenset[int] = frozenset()  # any of them; empty: no language asked


@dataclass(frozen=True)
class Person:
    id: int
    coop: int
    free_hours: int
    skills: Mapping[int, int] = field(default_factory=dict)  # skill -> level 1..4
    languages: Mapping[int, int] = field(default_factory=dict)  # language -> proficiency 1..4
    timezone: str = "UTC"
    workday: tuple[dt.time, dt.time] = (dt.time(9), dt.time(17))
    available_from: dt.date | None = None
    opted_in: bool = True
    active: bool = True
    declined: bool = False


@dataclass(frozen=True)
class Team:
    roles: tuple[Role, ...]  # the open roles to fill
    team_size: int = 0  # all roles of the team, filled or not (0: just the open ones)
    core_hours: tuple[dt.time, dt.time] | None = None  # UTC; the end may be past midnight
    min_overlap_minutes: int = 120
    start: dt.date | None = None
    end: dt.date | None = None
    min_coops: int = 2
    max_per_coop: int | None = None  # None: half the team, rounded up
    source_coop: int | None = None
    fixed_coops: Mapping[int, int] = field(default_factory=dict)  # people already in, per co-op
    fixed_people: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        return max(self.team_size, len(self.roles) + sum(self.fixed_coops.values()))

    @property
    def per_coop_limit(self) -> int:
        return self.max_per_coop or max(1, math.ceil(self.size / 2))

    @property
    def coops_needed(self) -> int:
        return min(self.min_coops, self.size)

    def period(self) -> tuple[dt.date, dt.date]:
        start = self.start or dt.date(2000, 1, 1)
        end = self.end or start + dt.timedelta(days=DEFAULT_SPAN_DAYS)
        return start, min(end, start + dt.timedelta(days=MAX_SPAN_DAYS))


class Pool:
    """The people, as columns (numpy arrays): built once, filtered per role without a loop."""

    def __init__(
        self,
        *,
        ids,
        coops,
        free_hours,
        skills: Mapping[int, npt.ArrayLike],
        languages: Mapping[int, npt.ArrayLike],
        zones: Sequence[str],
        zone_index,
        workday_start,
        workday_end,
        available_from=None,
        opted_in=None,
        active=None,
        declined=None,
    ):
        n = len(ids)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.coops = np.asarray(coops, dtype=np.int64)
        self.free_hours = np.asarray(free_hours, dtype=np.int32)
        self.skills = {k: np.asarray(v, dtype=np.int8) for k, v in skills.items()}
        self.languages = {k: np.asarray(v, dtype=np.int8) for k, v in languages.items()}
        self.zones = list(zones)
        self.zone_index = np.asarray(zone_index, dtype=np.int32)
        self.workday_start = np.asarray(workday_start, dtype=np.int32)  # local minutes
        self.workday_end = np.asarray(workday_end, dtype=np.int32)
        # Proleptic ordinals; 0: available now.
        self.available_from = (
            np.zeros(n, np.int64) if available_from is None else np.asarray(available_from)
        )
        self.opted_in = np.ones(n, bool) if opted_in is None else np.asarray(opted_in, bool)
        self.active = np.ones(n, bool) if active is None else np.asarray(active, bool)
        self.declined = np.zeros(n, bool) if declined is None else np.asarray(declined, bool)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, people: Sequence[Person]) -> Pool:
        zones = sorted({p.timezone for p in people})
        where = {zone: i for i, zone in enumerate(zones)}
        skill_ids = sorted({s for p in people for s in p.skills})
        language_ids = sorted({lang for p in people for lang in p.languages})
        return cls(
            ids=[p.id for p in people],
            coops=[p.coop for p in people],
            free_hours=[p.free_hours for p in people],
            skills={s: [p.skills.get(s, 0) for p in people] for s in skill_ids},
            languages={g: [p.languages.get(g, 0) for p in people] for g in language_ids},
            zones=zones,
            zone_index=[where[p.timezone] for p in people],
            workday_start=[_minutes(p.workday[0]) for p in people],
            workday_end=[_minutes(p.workday[1]) for p in people],
            available_from=[
                p.available_from.toordinal() if p.available_from else 0 for p in people
            ],
            opted_in=[p.opted_in for p in people],
            active=[p.active for p in people],
            declined=[p.declined for p in people],
        )


# Output -------------------------------------------------------------------------------------------
@dataclass
class Scored:
    """One person for one role: the score and the facts each part rests on."""

    person: int
    coop: int
    score: float
    parts: dict  # {"skills": {...}, "language": {...}, "overlap": {...}, "spare": {...}}


@dataclass
class Proposal:
    role: int
    chosen: Scored | None
    alternates: list[Scored]


@dataclass
class Gap:
    role: int
    candidates: int  # people passing every filter
    failed: dict[str, int]  # filter name (or "skill:<id>") -> people it left out


@dataclass
class Result:
    proposals: list[Proposal]
    gaps: list[Gap]
    objective: float  # points: FILL per filled role plus the scores
    bound: float  # the best objective that can exist (== objective when proven optimal)
    method: str  # "lsa", "milp", "none"
    status: str  # "optimal", "time_limit"
    dropped: list[str]  # constraints that no team could meet ("min_coops")
    seconds: float = 0.0
    found_by: str = ""  # whose team this is: "lsa", "milp" (the solver) or "greedy"

    @property
    def proven_gap(self) -> float:
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def total_score(self) -> float:
        return round(sum(p.chosen.score for p in self.proposals if p.chosen), 2)

    def assignment(self) -> dict[int, int]:
        return {p.role: p.chosen.person for p in self.proposals if p.chosen}


# Time zones ---------------------------------------------------------------------------------------
def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


@functools.lru_cache(maxsize=4096)
def utc_offsets(zone: str, start: dt.date, end: dt.date) -> tuple[int, ...]:
    """Every UTC offset (minutes) the zone has at midday on some day of the period."""
    tz = zoneinfo.ZoneInfo(zone)
    offsets = set()
    day = start
    while day <= end:
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
        offset = noon.utcoffset()
        assert offset is not None  # an aware datetime always has one
        offsets.add(int(offset.total_seconds() // 60))
        day += dt.timedelta(days=1)
    return tuple(sorted(offsets))


def overlap_minutes(workday: tuple[int, int], offset: int, core: tuple[int, int]) -> int:
    """Minutes a local working day (local minutes, at a UTC offset) shares with a UTC window.
    Either may run past midnight (end <= start)."""
    start, end = workday[0] - offset, workday[1] - offset
    if end <= start:
        end += 1440
    core_start, core_end = core
    if core_end <= core_start:
        core_end += 1440
    total = 0
    for shift in (-2880, -1440, 0, 1440, 2880):
        total += max(0, min(end + shift, core_end) - max(start + shift, core_start))
    return min(total, core_end - core_start)


def worst_overlap(zone: str, workday: tuple[int, int], team: Team) -> int:
    """The overlap on the project's worst day: the offset changes with daylight saving time."""
    if team.core_hours is None:
        return 24 * 60
    core = (_minutes(team.core_hours[0]), _minutes(team.core_hours[1]))
    start, end = team.period()
    return min(overlap_minutes(workday, off, core) for off in utc_offsets(zone, start, end))


def _core_length(team: Team) -> int:
    assert team.core_hours is not None  # asked only of a team with core hours
    start, end = (_minutes(t) for t in team.core_hours)
    return end - start if end > start else end + 1440 - start


def _overlaps(pool: Pool, team: Team) -> np.ndarray:
    if team.core_hours is None or not len(pool):
        return np.full(len(pool), 24 * 60, np.int32)
    keys = np.stack([pool.zone_index, pool.workday_start, pool.workday_end], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    values = np.array(
        [worst_overlap(pool.zones[z], (int(s), int(e)), team) for z, s, e in unique],
        dtype=np.int32,
    )
    return values[inverse.reshape(-1)]


# Scores -------------------------------------------------------------------------------------------
def _skill_fit(level, minimum: int):
    if minimum >= TOP_LEVEL:
        return np.where(level >= minimum, 1.0, 0.0)
    return MEETS_MINIMUM + (1 - MEETS_MINIMUM) * (level - minimum) / (TOP_LEVEL - minimum)


@dataclass
class _RoleCandidates:
    index: np.ndarray  # positions in the pool
    score: np.ndarray  # float points 0..100
    weight: np.ndarray  # integer objective weights
    gap: Gap


def _candidates(pool: Pool, team: Team, role: Role, overlaps: np.ndarray, scale: int):
    """Who may fill the role, with their scores and the weights the solver maximises: a filled
    role first, then the score, then being from the source co-op."""
    index, gap = _passing(pool, team, role, overlaps)
    score = _scores(pool, team, role, index, overlaps)
    centi = np.rint(score * 100).astype(np.int64)
    source = (
        (pool.coops[index] == team.source_coop).astype(np.int64)
        if team.source_coop is not None
        else np.zeros(len(index), np.int64)
    )
    weight = (FILL * 100 + centi) * scale + source
    return _RoleCandidates(index=index, score=score, weight=weight, gap=gap)


def _passing(pool: Pool, team: Team, role: Role, overlaps: np.ndarray) -> tuple[np.ndarray, Gap]:
    """The hard filters: the positions of the people who pass them all, and how many each
    filter turned away."""
    n = len(pool)
    failed: dict[str, int] = {}
    ok = np.ones(n, bool)

    def apply(name: str, passing: np.ndarray) -> None:
        nonlocal ok
        failed[name] = int(n - passing.sum())
        ok &= passing

    apply(NOT_OPTED_IN, pool.opted_in)
    apply(INACTIVE, pool.active)
    apply(DECLINED, ~pool.declined)
    if team.start is not None:
        apply(NOT_AVAILABLE, pool.available_from <= team.start.toordinal())
    apply(HOURS, pool.free_hours >= role.hours)
    if role.languages:
        best_language = np.zeros(n, np.int8)
        for language in role.languages:
            if language in pool.languages:
                best_language = np.maximum(best_language, pool.languages[language])
        apply(LANGUAGE, best_language > 0)
    if team.core_hours is not None:
        apply(OVERLAP, overlaps >= team.min_overlap_minutes)
    zero = np.zeros(n, np.int8)
    for requirement in role.requirements:
        levels = pool.skills.get(requirement.skill, zero)
        apply(f"{SKILL}:{requirement.skill}", levels >= requirement.min_level)
    failed = {name: count for name, count in failed.items() if count}
    index = np.flatnonzero(ok)
    return index, Gap(role=role.id, candidates=len(index), failed=failed)


def _scores(
    pool: Pool, team: Team, role: Role, index: np.ndarray, overlaps: np.ndarray
) -> np.ndarray:
    """The explained score of each candidate (at `index`): skills, language, overlap, spare."""
    zero = np.zeros(len(pool), np.int8)
    total_weight = sum(r.weight for r in role.requirements)
    if role.requirements:
        fit = np.zeros(len(index))
        for requirement in role.requirements:
            levels = pool.skills.get(requirement.skill, zero)[index].astype(float)
            fit += requirement.weight * _skill_fit(levels, requirement.min_level)
        skills = MAX_SKILLS * fit / total_weight
    else:
        skills = np.full(len(index), MAX_SKILLS * MEETS_MINIMUM)
    if role.languages:
        best = np.zeros(len(index))
        for language in role.languages:
            if language in pool.languages:
                best = np.maximum(best, pool.languages[language][index])
        language_points = MAX_LANGUAGE * best / TOP_LEVEL
    else:
        language_points = np.full(len(index), float(MAX_LANGUAGE))
    if team.core_hours is not None:
        share = np.minimum(1.0, overlaps[index] / _core_length(team))
        overlap_points = MAX_OVERLAP * share
    else:
        overlap_points = np.full(len(index), float(MAX_OVERLAP))
    spare = pool.free_hours[index] - role.hours
    spare_points = MAX_SPARE * np.minimum(1.0, spare / role.hours)
    return np.round(skills + language_points + overlap_points + spare_points, 2)


def explain(pool: Pool, team: Team, role: Role, position: int, overlaps: np.ndarray) -> dict:
    """The facts behind one person's score for one role (the app words them)."""
    skills: list[dict[str, Any]] = []
    for r in role.requirements:
        level = int(pool.skills[r.skill][position]) if r.skill in pool.skills else 0
        skills.append(
            {
                "skill": r.skill,
                "name": r.name,
                "level": level,
                "min": r.min_level,
                "weight": r.weight,
            }
        )
    if role.requirements:
        total_weight = sum(r.weight for r in role.requirements)
        fit = sum(s["weight"] * float(_skill_fit(s["level"], s["min"])) for s in skills)
        skill_points = MAX_SKILLS * fit / total_weight
    else:
        skill_points = MAX_SKILLS * MEETS_MINIMUM
    best_language, proficiency = None, 0
    for language in sorted(role.languages):
        value = int(pool.languages.get(language, np.zeros(len(pool), np.int8))[position])
        if value > proficiency:
            best_language, proficiency = language, value
    language_points = MAX_LANGUAGE * proficiency / TOP_LEVEL if role.languages else MAX_LANGUAGE
    minutes = int(overlaps[position])
    if team.core_hours is not None:
        overlap_points = MAX_OVERLAP * min(1.0, minutes / _core_length(team))
    else:
        overlap_points = MAX_OVERLAP
    free = int(pool.free_hours[position])
    spare_points = MAX_SPARE * min(1.0, (free - role.hours) / role.hours)
    return {
        "skills": {"points": round(skill_points, 2), "max": MAX_SKILLS, "skills": skills},
        "language": {
            "points": round(language_points, 2),
            "max": MAX_LANGUAGE,
            "language": best_language,
            "proficiency": proficiency,
            "asked": bool(role.languages),
        },
        "overlap": {
            "points": round(overlap_points, 2),
            "max": MAX_OVERLAP,
            "minutes": minutes if team.core_hours is not None else None,
            "zone": pool.zones[int(pool.zone_index[position])],
        },
        "spare": {
            "points": round(spare_points, 2),
            "max": MAX_SPARE,
            "free": free,
            "needed": role.hours,
        },
    }


# Pruning ------------------------------------------------------------------------------------------
def _prune(c: _RoleCandidates, pool: Pool, team_size: int, per_coop: int) -> np.ndarray:
    """Positions (into c.index) worth keeping: the best min(R, K) of each of the R best co-ops."""
    if not len(c.index):
        return np.zeros(0, np.int64)
    coops = pool.coops[c.index]
    ids = pool.ids[c.index]
    order = np.lexsort((ids, -c.weight))  # best first, then the lower id
    ranked_coops = coops[order]
    _unique, first = np.unique(ranked_coops, return_index=True)
    best_coops = set(ranked_coops[np.sort(first)[:team_size]].tolist())
    keep: list[int] = []
    taken: dict[int, int] = {}
    limit = min(team_size, per_coop)
    for position in order:
        coop = int(coops[position])
        if coop in best_coops and taken.get(coop, 0) < limit:
            taken[coop] = taken.get(coop, 0) + 1
            keep.append(position)
    return np.asarray(keep, np.int64)


# Solving ------------------------------------------------------------------------------------------
@dataclass
class _Pairs:
    role: np.ndarray  # role number
    person: np.ndarray  # pool position
    weight: np.ndarray


def _meets_coop_rules(chosen: list[int], pool: Pool, team: Team, need_coops: int) -> bool:
    counts = dict(team.fixed_coops)
    for position in set(chosen):
        if int(pool.ids[position]) in team.fixed_people:
            continue
        coop = int(pool.coops[position])
        counts[coop] = counts.get(coop, 0) + 1
    if any(count > team.per_coop_limit for count in counts.values()):
        return False
    return sum(1 for count in counts.values() if count) >= need_coops


def _solve_lsa(pairs: _Pairs, n_roles: int) -> dict[int, int]:
    people = np.unique(pairs.person)
    column = {int(p): i for i, p in enumerate(people)}
    forbidden = -(int(pairs.weight.sum()) + 1) if len(pairs.weight) else -1
    matrix = np.full((n_roles, len(people) + n_roles), forbidden, dtype=np.float64)
    for r in range(n_roles):
        matrix[r, len(people) + r] = 0  # "nobody": the role stays open
    for r, p, w in zip(pairs.role, pairs.person, pairs.weight, strict=True):
        matrix[r, column[int(p)]] = w
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return {int(r): int(people[c]) for r, c in zip(rows, cols, strict=True) if c < len(people)}


def _model(pairs: _Pairs, roles: Sequence[Role], pool: Pool, team: Team, need_coops: int):
    """The integer program as matrices: (cost, matrix, lower, upper), all variables in [0, 1].

    Variables: x (one per pair), y (people used), z (co-ops present). Rows: at most one person
    per role; each person's hours; x <= y; at most K people per co-op (people already in the
    team count, and are not counted again); and, when the team still needs co-ops, z <= the
    co-op's x and enough z."""
    from scipy import sparse

    n_pairs = len(pairs.weight)
    people, person_of = np.unique(pairs.person, return_inverse=True)
    coops, coop_of = np.unique(pool.coops[pairs.person], return_inverse=True)
    n_people, n_coops = len(people), len(coops)
    n_vars = n_pairs + n_people + n_coops
    pair_k = np.arange(n_pairs)
    hours = np.array([role.hours for role in roles], np.float64)[pairs.role]
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (rows, cols, values)
    lower: list[np.ndarray] = []
    upper: list[np.ndarray] = []
    row = 0

    def block(rows, cols, values, n_rows, lo, hi):
        nonlocal row
        blocks.append((np.asarray(rows) + row, np.asarray(cols), np.asarray(values, np.float64)))
        lower.append(np.broadcast_to(np.asarray(lo, np.float64), n_rows))
        upper.append(np.broadcast_to(np.asarray(hi, np.float64), n_rows))
        row += n_rows

    block(pairs.role, pair_k, np.ones(n_pairs), len(roles), -np.inf, 1)
    block(person_of, pair_k, hours, n_people, -np.inf, pool.free_hours[people])
    block(
        np.concatenate([pair_k, pair_k]),
        np.concatenate([pair_k, n_pairs + person_of]),
        np.concatenate([np.ones(n_pairs), -np.ones(n_pairs)]),
        n_pairs,
        -np.inf,
        0,
    )
    fixed = np.isin(pool.ids[people], np.fromiter(team.fixed_people, np.int64))
    people_coop = np.searchsorted(coops, pool.coops[people])
    counted = np.flatnonzero(~fixed)
    room = np.array(
        [max(0, team.per_coop_limit - team.fixed_coops.get(int(c), 0)) for c in coops], np.float64
    )
    block(people_coop[counted], n_pairs + counted, np.ones(len(counted)), n_coops, -np.inf, room)
    present = {c for c, count in team.fixed_coops.items() if count}
    still_needed = need_coops - len(present)
    if still_needed > 0:
        z = n_pairs + n_people + np.arange(n_coops)
        block(
            np.concatenate([np.arange(n_coops), coop_of]),
            np.concatenate([z, pair_k]),
            np.concatenate([np.ones(n_coops), -np.ones(n_pairs)]),
            n_coops,
            -np.inf,
            0,
        )
        fresh = np.flatnonzero(~np.isin(coops, list(present)))
        block(
            np.zeros(len(fresh), np.int64), z[fresh], np.ones(len(fresh)), 1, still_needed, np.inf
        )
    rows = np.concatenate([b[0] for b in blocks])
    cols = np.concatenate([b[1] for b in blocks])
    values = np.concatenate([b[2] for b in blocks])
    matrix = sparse.csr_array((values, (rows, cols)), shape=(row, n_vars))
    cost = np.zeros(n_vars)
    cost[:n_pairs] = -pairs.weight.astype(np.float64)
    return cost, matrix, np.concatenate(lower), np.concatenate(upper)


def _solve_milp(
    pairs: _Pairs,
    roles: Sequence[Role],
    pool: Pool,
    team: Team,
    need_coops: int,
    time_limit: float,
):
    """(assignment, objective bound in weight units or None, status), or None when the program
    has no solution at all. A time limit may leave the assignment empty."""
    from scipy.optimize import Bounds, LinearConstraint

    n_pairs = len(pairs.weight)
    cost, matrix, lower, upper = _model(pairs, roles, pool, team, need_coops)
    result = milp(
        cost,
        integrality=np.ones(len(cost), dtype=np.uint8),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, lower, upper),
        options={"time_limit": max(time_limit, 0.001), "mip_rel_gap": 0.0},
    )
    if result.status == 2:  # proven infeasible
        return None
    dual = getattr(result, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and math.isfinite(dual) else None
    if result.x is None:
        return {}, bound, "time_limit"
    chosen = np.flatnonzero(result.x[:n_pairs] > 0.5)
    assignment = {int(pairs.role[k]): int(pairs.person[k]) for k in chosen}
    # A result with an x has status 0, or 1 when a time limit left one.
    status = "optimal" if result.status == 0 else "time_limit"
    return assignment, bound, status


def _lp_bound(
    pairs: _Pairs,
    roles: Sequence[Role],
    pool: Pool,
    team: Team,
    need_coops: int,
    time_limit: float,
):
    """The linear relaxation: (its optimum in weight units, the reduced cost of every x), or
    None when it did not finish. No team scores above the optimum, and a team that uses pair k
    scores at most optimum - reduced_cost[k] (LP duality): what `match` prunes with."""
    from scipy import sparse

    n_pairs = len(pairs.weight)
    cost, matrix, lower, upper = _model(pairs, roles, pool, team, need_coops)
    has_upper, has_lower = np.isfinite(upper), np.isfinite(lower)
    a_ub = sparse.vstack([matrix[has_upper], -matrix[has_lower]], format="csr")
    b_ub = np.concatenate([upper[has_upper], -lower[has_lower]])
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        bounds=(0, 1),
        method="highs",
        options={"time_limit": time_limit},
    )
    if result.status == 2:
        return -np.inf, np.zeros(n_pairs)  # no team keeps the rules
    if result.status != 0:
        return None
    assert result.fun is not None  # status 0: solved
    return -float(result.fun), np.asarray(result.lower.marginals[:n_pairs], np.float64)


def _coop_cover(pairs: _Pairs, pool: Pool, team: Team, n_roles: int) -> dict[int, int]:
    """A largest set of roles each filled from a different co-op the team does not have yet
    (the best person of that co-op for the role), the heaviest such set: its size tells how many
    co-ops the team can reach at most; it seeds the greedy team."""
    present = [c for c, count in team.fixed_coops.items() if count]
    fresh = ~np.isin(pool.coops[pairs.person], present)
    if not fresh.any():
        return {}
    roles, persons = pairs.role[fresh], pairs.person[fresh]
    weights = pairs.weight[fresh].astype(np.float64)
    coops, coop_of = np.unique(pool.coops[persons], return_inverse=True)
    big = float(weights.sum()) + 1.0  # more co-ops first, then the heavier
    matrix = np.zeros((n_roles, len(coops)))
    best = {}
    for k in np.lexsort((pool.ids[persons], -weights)):  # best first: keep the first per cell
        cell = (int(roles[k]), int(coop_of[k]))
        if cell not in best:
            best[cell] = int(persons[k])
            matrix[cell] = big + weights[k]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return {
        int(r): best[(int(r), int(c))]
        for r, c in zip(rows, cols, strict=True)
        if (int(r), int(c)) in best
    }


def _reachable_coops(cover: dict[int, int], team: Team) -> int:
    return sum(1 for count in team.fixed_coops.values() if count) + len(cover)


class _Search:
    """A team that keeps every rule while it changes: the rule-keeping greedy and its local
    search (the baseline, the MILP's fallback and the incumbent its pruning measures against).

    Built from the co-op cover (so the co-op minimum holds from the start when reachable), then
    filled in the order of the pairs (heaviest first, then the lower id), then improved by
    moves that each raise the objective: give a role a better person; take a better person
    from another role and refill that one; change a role and one other role together (what a
    co-op limit or the co-op minimum asks for). Deterministic: every scan has a fixed order."""

    MAX_PASSES = 50
    TRIES = 3  # blocked better candidates per role tried in a two-role move

    def __init__(self, pairs: _Pairs, roles: Sequence[Role], pool: Pool, team: Team, need: int):
        self.hours = [role.hours for role in roles]
        self.options: list[list[tuple[int, int]]] = [[] for _ in roles]  # (weight, position)
        self.weight: dict[tuple[int, int], int] = {}
        self.order = np.lexsort((pairs.role, pool.ids[pairs.person], -pairs.weight))
        for k in self.order:
            r, p, w = int(pairs.role[k]), int(pairs.person[k]), int(pairs.weight[k])
            self.options[r].append((w, p))
            self.weight[(r, p)] = w
        people = np.unique(pairs.person)
        self.free = dict(zip(people.tolist(), pool.free_hours[people].tolist(), strict=True))
        self.coop = dict(zip(people.tolist(), pool.coops[people].tolist(), strict=True))
        self.fixed = {int(p) for p in people if int(pool.ids[p]) in team.fixed_people}
        self.cap = {c: max(team.per_coop_limit, n) for c, n in team.fixed_coops.items()}
        self.limit = team.per_coop_limit
        self.counted = {c: n for c, n in team.fixed_coops.items() if n}  # toward K
        self.members = dict(self.counted)  # toward the co-op minimum
        self.present = len(self.members)
        self.need = need
        self.assign: list[int | None] = [None] * len(roles)
        self.load: dict[int, int] = {}
        self.used: dict[int, int] = {}  # person -> roles held
        self.total = 0
        self.pairs = pairs

    # state
    def put(self, r: int, p: int) -> None:
        self.assign[r] = p
        self.total += self.weight[(r, p)]
        self.load[p] = self.load.get(p, 0) + self.hours[r]
        self.used[p] = self.used.get(p, 0) + 1
        if self.used[p] == 1:
            c = self.coop[p]
            self.members[c] = self.members.get(c, 0) + 1
            self.present += self.members[c] == 1
            if p not in self.fixed:
                self.counted[c] = self.counted.get(c, 0) + 1

    def take(self, r: int) -> int | None:
        p = self.assign[r]
        if p is None:
            return None
        self.assign[r] = None
        self.total -= self.weight[(r, p)]
        self.load[p] -= self.hours[r]
        self.used[p] -= 1
        if self.used[p] == 0:
            c = self.coop[p]
            self.members[c] -= 1
            self.present -= self.members[c] == 0
            if p not in self.fixed:
                self.counted[c] -= 1
        return p

    def ok(self, *touched: int | None) -> bool:
        if self.present < self.need:
            return False
        for p in touched:
            if p is None:
                continue
            if self.load.get(p, 0) > self.free[p]:
                return False
            c = self.coop[p]
            if self.counted.get(c, 0) > self.cap.get(c, self.limit):
                return False
        return True

    def value(self, r: int) -> int:
        p = self.assign[r]
        return 0 if p is None else self.weight[(r, p)]

    # building
    def build(self, cover: dict[int, int]) -> None:
        """The co-op cover first (when the team lacks co-ops), then the heaviest pairs."""
        if self.present < self.need:
            missing = self.need - self.present
            seeds = sorted(cover.items(), key=lambda rp: (-self.weight[rp], rp[1], rp[0]))
            for r, p in seeds[:missing]:
                self.put(r, p)
        self._fill()
        self.polish()

    def start_from(self, assignment: Mapping[int, int]) -> bool:
        """Start from a team that may lack co-ops: keep what keeps the other rules, then reach
        the co-op minimum by the cheapest replacements, one new co-op at a time. False when
        that fails."""
        wanted, self.need = self.need, 0
        for r, p in sorted(assignment.items()):
            self.put(r, p)
            if not self.ok(p):
                self.take(r)
        while self.present < wanted:
            best, best_total = None, None
            for r in range(len(self.assign)):
                current, present = self.assign[r], self.present
                for _w, q in self.options[r]:
                    if self.members.get(self.coop[q], 0):
                        continue  # not a new co-op
                    self.take(r)
                    self.put(r, q)
                    works = self.present > present and self.ok(q)
                    total = self.total
                    self.take(r)
                    if current is not None:
                        self.put(r, current)
                    if works:
                        if best_total is None or total > best_total:
                            best, best_total = (r, q), total
                        break  # the heaviest that works for this role
            if best is None:
                self.need = wanted
                return False
            self.take(best[0])
            self.put(*best)
        self.need = wanted
        self._fill()
        self.polish()
        return True

    def _fill(self) -> None:
        for k in self.order:
            r, p = int(self.pairs.role[k]), int(self.pairs.person[k])
            if self.assign[r] is None:
                self.put(r, p)
                if not self.ok(p):
                    self.take(r)

    def polish(self) -> None:
        for _ in range(self.MAX_PASSES):
            if not self.improve():
                break

    def improve(self) -> bool:
        better = False
        for r in range(len(self.assign)):
            better |= self._replace(r) or self._eject(r) or self._pair_move(r)
        return better

    def _replace(self, r: int) -> bool:
        current = self.assign[r]
        base = self.value(r)
        for w, q in self.options[r]:
            if w <= base:
                break
            self.take(r)
            self.put(r, q)
            if self.ok(q):
                return True
            self.take(r)
            if current is not None:
                self.put(r, current)
        return False

    def _eject(self, r: int) -> bool:
        """A better person for r who holds another role r2: move them, refill r2."""
        base = self.value(r)
        before = self.total
        for w, q in self.options[r]:
            if w <= base:
                break
            for r2 in [i for i, p in enumerate(self.assign) if p == q and i != r]:
                if self._two_roles(r, q, r2, before):
                    return True
        return False

    def _two_roles(self, r: int, q: int, r2: int, before: int) -> bool:
        """Give r to q and r2 to its best person that keeps the rules (or nobody), if the team
        ends better; otherwise leave both as they were."""
        out = self.take(r2)
        current = self.take(r)
        self.put(r, q)
        if self._refill(r2, before, q, out):
            return True
        self.take(r)
        if current is not None:
            self.put(r, current)
        if out is not None:
            self.put(r2, out)
        return False

    def _refill(self, r2: int, before: int, *touched: int | None) -> bool:
        """Give r2 the best person that keeps the rules (or nobody) if the team ends better."""
        empty_pays = self.total > before and self.ok(*touched)
        for w, s in self.options[r2]:
            if self.total + w <= before:
                break
            self.put(r2, s)
            if self.ok(s, *touched):
                return True
            self.take(r2)
        return empty_pays

    def _pair_move(self, r: int) -> bool:
        """A better person for r that a rule blocks (their hours, the co-op limit, the co-op
        minimum), with the one other role changed that can make room: the first that pays."""
        base = self.value(r)
        before = self.total
        tried = 0
        for w, q in self.options[r]:
            if w <= base or tried == self.TRIES:
                break
            tried += 1
            current = self.take(r)
            self.put(r, q)
            coop = self.coop[q]
            over_hours = self.load[q] > self.free[q]
            over_coop = self.counted.get(coop, 0) > self.cap.get(coop, self.limit)
            short = self.present < self.need
            self.take(r)
            if current is not None:
                self.put(r, current)
            gain = w - base
            for r2, p2 in enumerate(self.assign):
                if r2 == r:
                    continue
                if not (
                    short
                    or (over_hours and p2 == q)
                    or (over_coop and p2 is not None and self.coop[p2] == coop)
                ):
                    continue
                room = self.value(r2) - gain  # r2 must end above this
                if room >= 0 and self.options[r2][0][0] <= room:
                    continue
                if self._two_roles(r, q, r2, before):
                    return True
        return False

    def assignment(self) -> dict[int, int]:
        return {r: p for r, p in enumerate(self.assign) if p is not None}


def _greedy_team(
    pairs: _Pairs,
    roles: Sequence[Role],
    pool: Pool,
    team: Team,
    need: int,
    cover: dict[int, int],
) -> dict[int, int]:
    """The better of two rule-keeping starts, each improved by local search: the co-op cover
    then the heaviest pairs; and the best one-role-each assignment with its co-op limits
    enforced (see `_lsa_start`) and its co-op minimum repaired."""
    first = _Search(pairs, roles, pool, team, need)
    first.build(cover)
    second = _Search(pairs, roles, pool, team, need)
    if second.start_from(_lsa_start(pairs, roles, pool, team)) and second.total > first.total:
        return second.assignment()
    return first.assignment()


def _lsa_start(pairs: _Pairs, roles: Sequence[Role], pool: Pool, team: Team) -> dict[int, int]:
    """`linear_sum_assignment`, again and again: each co-op over its limit keeps the people it
    has the most points with and loses its others, until no co-op is over."""
    allowed = np.ones(len(pairs.weight), bool)
    pair_coops = pool.coops[pairs.person]
    assignment: dict[int, int] = {}
    for _ in range(len(roles) + 1):
        sub = _Pairs(pairs.role[allowed], pairs.person[allowed], pairs.weight[allowed])
        if not len(sub.weight):
            return {}
        assignment = _solve_lsa(sub, len(roles))
        lookup = {
            (int(r), int(p)): int(w)
            for r, p, w in zip(sub.role, sub.person, sub.weight, strict=True)
        }
        by_coop: dict[int, list[tuple[int, int, int]]] = {}
        for r, p in assignment.items():
            if int(pool.ids[p]) in team.fixed_people:
                continue
            by_coop.setdefault(int(pool.coops[p]), []).append(
                (-lookup[(r, p)], int(pool.ids[p]), p)
            )
        over = False
        for coop, chosen in sorted(by_coop.items()):
            room = max(0, team.per_coop_limit - team.fixed_coops.get(coop, 0))
            if len(chosen) > room:
                over = True
                keep = [p for _w, _id, p in sorted(chosen)[:room]]
                allowed &= ~((pair_coops == coop) & ~np.isin(pairs.person, keep))
        if not over:
            break
    return assignment


def _points(weight: int, scale: int) -> float:
    return (weight // scale) / 100


def _weight_of(pairs: _Pairs, assignment: Mapping[int, int]) -> int:
    keys = zip(pairs.role.tolist(), pairs.person.tolist(), strict=True)
    lookup = dict(zip(keys, pairs.weight.tolist(), strict=True))
    return sum(lookup[(r, p)] for r, p in assignment.items())


def _prepare(team: Team, pool: Pool):
    roles = list(team.roles)
    scale = len(roles) + 1  # the source co-op bonus (1 per role) stays below one hundredth
    overlaps = _overlaps(pool, team)
    candidates = [_candidates(pool, team, role, overlaps, scale) for role in roles]
    per_coop = team.per_coop_limit
    role_of, person_of, weight_of = [], [], []
    for r, c in enumerate(candidates):
        kept = _prune(c, pool, team.size, per_coop)
        role_of.extend([r] * len(kept))
        person_of.extend(c.index[kept].tolist())
        weight_of.extend(c.weight[kept].tolist())
    pairs = _Pairs(
        np.asarray(role_of, np.int64),
        np.asarray(person_of, np.int64),
        np.asarray(weight_of, np.int64),
    )
    return roles, scale, overlaps, candidates, pairs


def match(
    team: Team,
    pool: Pool,
    *,
    time_limit: float = 10.0,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """The best team for the open roles under the team's constraints (see the module doc)."""
    started = time.perf_counter()
    say = progress or (lambda _percent: None)
    say(20)
    roles, scale, overlaps, candidates, pairs = _prepare(team, pool)
    say(50)
    dropped: list[str] = []
    method, status, found_by = "none", "optimal", ""
    assignment: dict[int, int] = {}
    bound = None  # weight units
    if len(pairs.weight):
        need = team.coops_needed
        cover = _coop_cover(pairs, pool, team, len(roles))
        if _reachable_coops(cover, team) < need:
            dropped.append("min_coops")
            need = 0
        multi = _anyone_takes_two(pairs, roles, pool)
        if not multi:
            assignment = _solve_lsa(pairs, len(roles))
            method = found_by = "lsa"
        if multi or not _meets_coop_rules(list(assignment.values()), pool, team, need):
            method = "milp"
            assignment, bound, status, found_by = _solve_constrained(
                pairs, roles, pool, team, need, cover, time_limit, say
            )
    say(90)
    objective_weight = _weight_of(pairs, assignment)
    objective = _points(objective_weight, scale)
    if status == "optimal" or bound is None:
        bound_points = objective
    else:
        bound_points = max(_points(int(bound), scale), objective)
    proposals = _proposals(pool, team, roles, candidates, assignment, overlaps)
    # Roles left open: nobody passed the filters, or the team's constraints kept them out.
    gaps = [c.gap for r, c in enumerate(candidates) if r not in assignment]
    say(100)
    return Result(
        proposals=proposals,
        gaps=gaps,
        objective=objective,
        bound=bound_points,
        method=method,
        status=status,
        dropped=dropped,
        seconds=time.perf_counter() - started,
        found_by=found_by,
    )


def _proposals(
    pool: Pool,
    team: Team,
    roles: Sequence[Role],
    candidates: Sequence[_RoleCandidates],
    assignment: dict[int, int],
    overlaps: np.ndarray,
) -> list[Proposal]:
    """Each role's chosen person (if any) and its best alternates, explained. Nobody already on
    the team (chosen now, or in it before this run) is offered as an alternate for another role."""
    taken = set(assignment.values())
    taken |= set(np.flatnonzero(np.isin(pool.ids, np.fromiter(team.fixed_people, np.int64))))
    proposals = []
    for r, (role, c) in enumerate(zip(roles, candidates, strict=True)):
        chosen_position = assignment.get(r)
        chosen = None
        if chosen_position is not None:
            chosen = _scored(pool, team, role, c, chosen_position, overlaps)
        order = np.lexsort((pool.ids[c.index], -c.weight))
        alternates = []
        for k in order:
            position = int(c.index[k])
            if position in taken:
                continue
            alternates.append(_scored(pool, team, role, c, position, overlaps))
            if len(alternates) == ALTERNATES:
                break
        proposals.append(Proposal(role=role.id, chosen=chosen, alternates=alternates))
    return proposals


# Team rules, for a team that people changed by hand ----------------------------------------------
MIN_COOPS, MAX_PER_COOP = "min_coops", "max_per_coop"


def team_rule_breaks(
    coops: Sequence[int], *, team_size: int, min_coops: int, max_per_coop: int | None
) -> set[str]:
    """The team rules a team breaks, given the home co-op of each of its people (one entry per
    person): at most K from one co-op, at least N co-ops (as `Team` counts them)."""
    rules = Team(roles=(), team_size=team_size, min_coops=min_coops, max_per_coop=max_per_coop)
    counts: dict[int, int] = {}
    for coop in coops:
        counts[coop] = counts.get(coop, 0) + 1
    broken = set()
    if any(count > rules.per_coop_limit for count in counts.values()):
        broken.add(MAX_PER_COOP)
    if len(counts) < rules.coops_needed:
        broken.add(MIN_COOPS)
    return broken


LP_TIME_LIMIT = 2.0  # the relaxation's own limit: without it no honest gap can be reported


def _solve_constrained(
    pairs: _Pairs,
    roles: Sequence[Role],
    pool: Pool,
    team: Team,
    need: int,
    cover: dict[int, int],
    time_limit: float,
    say: Callable[[int], None],
):
    """The co-op rules bind (or someone can take two roles): greedy, relaxation, MILP.

    Returns (assignment, bound in weight units, status, whose team it is)."""
    deadline = time.perf_counter() + time_limit
    greedy_team = _greedy_team(pairs, roles, pool, team, need, cover)
    incumbent = _weight_of(pairs, greedy_team)
    # Upper bounds: every role with its best candidate (the pruning keeps each role's best)...
    ceiling = 0
    for r in range(len(roles)):
        mine = pairs.weight[pairs.role == r]
        ceiling += int(mine.max()) if len(mine) else 0
    bound = ceiling
    say(60)
    # ...and the linear relaxation, whose reduced costs prune every pair that cannot be part
    # of a team better than the greedy one (lossless: such a team uses only the pairs kept).
    relaxed = _lp_bound(pairs, roles, pool, team, need, max(LP_TIME_LIMIT, time_limit))
    kept = pairs
    if relaxed is not None:
        optimum, reduced = relaxed
        slack = 1e-6 * max(1.0, abs(optimum))
        bound = min(bound, math.floor(optimum + slack)) if math.isfinite(optimum) else incumbent
        keep = optimum - reduced >= incumbent - slack
        kept = _Pairs(pairs.role[keep], pairs.person[keep], pairs.weight[keep])
    say(70)
    if incumbent >= bound or not len(kept.weight):
        return greedy_team, incumbent, "optimal", "greedy"
    solved = _solve_milp(kept, roles, pool, team, need, max(0.0, deadline - time.perf_counter()))
    if solved is None:  # nothing but what the greedy team already has
        return greedy_team, incumbent, "optimal", "greedy"
    assignment, milp_bound, status = solved
    if milp_bound is not None:  # over the kept pairs: bounds every team better than greedy's
        bound = min(bound, max(math.floor(milp_bound + 1e-6 * abs(milp_bound)), incumbent))
    weight = _weight_of(kept, assignment)
    if weight < incumbent or (weight == incumbent and status != "optimal"):
        assignment, weight, method = greedy_team, incumbent, "greedy"
    else:
        method = "milp"
    if status == "optimal" or weight >= bound:
        return assignment, weight, "optimal", method
    return assignment, max(bound, weight), "time_limit", method


def _scored(pool, team, role, c: _RoleCandidates, position: int, overlaps) -> Scored:
    k = int(np.searchsorted(c.index, position))
    return Scored(
        person=int(pool.ids[position]),
        coop=int(pool.coops[position]),
        score=float(c.score[k]),
        parts=explain(pool, team, role, position, overlaps),
    )


def _anyone_takes_two(pairs: _Pairs, roles: Sequence[Role], pool: Pool) -> bool:
    """Whether some candidate has the hours for two of the roles they fit (then the simple
    one-role-each assignment is not the whole problem)."""
    hours = np.array([roles[r].hours for r in pairs.role])
    order = np.lexsort((hours, pairs.person))
    people, hours = pairs.person[order], hours[order]
    same = people[1:] == people[:-1]
    two_smallest = hours[1:] + hours[:-1]
    first_pair = np.ones(len(people) - 1, bool) if len(people) > 1 else np.zeros(0, bool)
    if len(people) > 2:
        first_pair[1:] = people[1:-1] != people[:-2]
    fits = same & first_pair & (two_smallest <= pool.free_hours[people[1:]])
    return bool(fits.any())


# The greedy baseline ------------------------------------------------------------------------------
def greedy_team(team: Team, pool: Pool) -> dict[int, int]:
    """The rule-keeping greedy team with its local search (what `match` starts from and falls
    back to): role number -> pool position. It keeps every rule `match` keeps: hours, at most K
    per co-op, at least N co-ops whenever some team reaches N."""
    roles, *_unused, pairs = _prepare(team, pool)
    if not len(pairs.weight):
        return {}
    need = team.coops_needed
    cover = _coop_cover(pairs, pool, team, len(roles))
    if _reachable_coops(cover, team) < need:
        need = 0
    return _greedy_team(pairs, roles, pool, team, need, cover)


def greedy(team: Team, pool: Pool) -> float:
    """The greedy team's objective in points: the baseline the benchmark compares with."""
    weights = pair_weights(team, pool)
    total = sum(weights[(r, p)] for r, p in greedy_team(team, pool).items())
    return objective_points(total, team)


def pair_weights(team: Team, pool: Pool) -> dict[tuple[int, int], int]:
    """Every feasible (role number, pool position) pair with its integer objective weight: what
    a brute-force check enumerates (tests) without the pruning."""
    roles = list(team.roles)
    scale = len(roles) + 1
    overlaps = _overlaps(pool, team)
    weights = {}
    for r, role in enumerate(roles):
        c = _candidates(pool, team, role, overlaps, scale)
        for position, weight in zip(c.index.tolist(), c.weight.tolist(), strict=True):
            weights[(r, position)] = weight
    return weights


def objective_points(weight: int, team: Team) -> float:
    return _points(weight, len(team.roles) + 1)
