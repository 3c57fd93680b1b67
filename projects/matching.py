"""Team matching as pure functions on plain data: no ORM, no settings, no translations.

The projects app turns rows into a `Team` and a `Pool` (projects.selectors.matching_input), calls
`match`, and stores the `Result`; the benchmark and the brute-force tests build them directly.

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
   also meets the co-op constraints. Otherwise an integer program (`scipy.optimize.milp`, HiGHS)
   with person capacity, at most K people per co-op and at least N co-ops, under a time limit;
   its dual bound gives the proven gap. When no team can reach N co-ops, the constraint is
   dropped and the result says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

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
    "not_available", "hours", "language", "overlap", "skill",
)  # fmt: skip


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
        skills: Mapping[int, np.ndarray],
        languages: Mapping[int, np.ndarray],
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
        offsets.add(int(noon.utcoffset().total_seconds() // 60))
        day += dt.timedelta(days=1)
    return tuple(sorted(offsets))


def overlap_minutes(
    workday: tuple[int, int], offset: int, core: tuple[int, int]
) -> int:  # fmt: skip
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
    gap = Gap(role=role.id, candidates=len(index), failed=failed)

    # Scores of the candidates only.
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
    score = np.round(skills + language_points + overlap_points + spare_points, 2)
    centi = np.rint(score * 100).astype(np.int64)
    source = (
        (pool.coops[index] == team.source_coop).astype(np.int64)
        if team.source_coop is not None
        else np.zeros(len(index), np.int64)
    )
    weight = (FILL * 100 + centi) * scale + source
    return _RoleCandidates(index=index, score=score, weight=weight, gap=gap)


def explain(pool: Pool, team: Team, role: Role, position: int, overlaps: np.ndarray) -> dict:
    """The facts behind one person's score for one role (the app words them)."""
    skills = []
    for r in role.requirements:
        level = int(pool.skills[r.skill][position]) if r.skill in pool.skills else 0
        skills.append(
            {"skill": r.skill, "name": r.name, "level": level, "min": r.min_level,
             "weight": r.weight}
        )  # fmt: skip
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
            "points": round(language_points, 2), "max": MAX_LANGUAGE,
            "language": best_language, "proficiency": proficiency,
            "asked": bool(role.languages),
        },
        "overlap": {
            "points": round(overlap_points, 2), "max": MAX_OVERLAP,
            "minutes": minutes if team.core_hours is not None else None,
            "zone": pool.zones[int(pool.zone_index[position])],
        },
        "spare": {
            "points": round(spare_points, 2), "max": MAX_SPARE, "free": free,
            "needed": role.hours,
        },
    }  # fmt: skip


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
    keep, taken = [], {}
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


def _meets_coop_rules(
    chosen: list[int], pool: Pool, team: Team, need_coops: int
) -> bool:  # fmt: skip
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


def _solve_milp(
    pairs: _Pairs, roles: Sequence[Role], pool: Pool, team: Team, need_coops: int,
    time_limit: float,
):  # fmt: skip
    """Returns (assignment, objective bound, status) or None when infeasible."""
    n_pairs = len(pairs.weight)
    people = np.unique(pairs.person)
    person_col = {int(p): i for i, p in enumerate(people)}
    coops = sorted({int(pool.coops[p]) for p in people})
    coop_col = {c: i for i, c in enumerate(coops)}
    n_people, n_coops = len(people), len(coops)
    # Variables: x (pairs), y (people used), z (co-ops present).
    n_vars = n_pairs + n_people + n_coops
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add(entries, lo, hi):
        row = len(lower)
        for col, val in entries:
            rows.append(row)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)

    for r in range(len(roles)):
        add([(k, 1) for k in np.flatnonzero(pairs.role == r)], -np.inf, 1)
    hours = np.array([roles[r].hours for r in pairs.role])
    for p in people:
        ks = np.flatnonzero(pairs.person == p)
        add([(int(k), float(hours[k])) for k in ks], -np.inf, float(pool.free_hours[p]))
        for k in ks:  # x <= y
            add([(int(k), 1), (n_pairs + person_col[int(p)], -1)], -np.inf, 0)
    limit = team.per_coop_limit
    for c in coops:
        members = [
            n_pairs + person_col[int(p)]
            for p in people
            if int(pool.coops[p]) == c and int(pool.ids[p]) not in team.fixed_people
        ]
        room = max(0, limit - team.fixed_coops.get(c, 0))
        add([(m, 1) for m in members], -np.inf, room)
    present = {c for c, count in team.fixed_coops.items() if count}
    still_needed = need_coops - len(present)
    if still_needed > 0:
        for c in coops:
            ks = [int(k) for k in np.flatnonzero(pool.coops[pairs.person] == c)]
            add([(n_pairs + n_people + coop_col[c], 1)] + [(k, -1) for k in ks], -np.inf, 0)
        fresh = [n_pairs + n_people + coop_col[c] for c in coops if c not in present]
        add([(z, 1) for z in fresh], still_needed, np.inf)
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), n_vars))
    objective = np.zeros(n_vars)
    objective[:n_pairs] = -pairs.weight.astype(np.float64)
    result = milp(
        objective,
        integrality=np.ones(n_vars),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, lower, upper),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if result.x is None:
        if result.status == 2:  # proven infeasible
            return None
        return {}, -float(getattr(result, "mip_dual_bound", 0) or 0), "time_limit"
    chosen = np.flatnonzero(result.x[:n_pairs] > 0.5)
    assignment = {int(pairs.role[k]): int(pairs.person[k]) for k in chosen}
    bound = -float(result.mip_dual_bound) if result.mip_dual_bound is not None else None
    status = "optimal" if result.status == 0 else "time_limit"
    return assignment, bound, status


def _points(weight: int, scale: int) -> float:
    return (weight // scale) / 100


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
    roles = list(team.roles)
    scale = len(roles) + 1  # the source co-op bonus (1 per role) stays below one hundredth
    overlaps = _overlaps(pool, team)
    say(20)
    candidates = [_candidates(pool, team, role, overlaps, scale) for role in roles]
    say(40)
    per_coop = team.per_coop_limit
    role_of, person_of, weight_of = [], [], []
    for r, c in enumerate(candidates):
        kept = _prune(c, pool, team.size, per_coop)
        role_of.extend([r] * len(kept))
        person_of.extend(c.index[kept].tolist())
        weight_of.extend(c.weight[kept].tolist())
    pairs = _Pairs(
        np.asarray(role_of, np.int64), np.asarray(person_of, np.int64),
        np.asarray(weight_of, np.int64),
    )  # fmt: skip
    say(50)
    dropped: list[str] = []
    need = team.coops_needed
    method, status = "none", "optimal"
    assignment: dict[int, int] = {}
    bound = None
    if len(pairs.weight):
        multi = _anyone_takes_two(pairs, roles, pool)
        if not multi:
            assignment = _solve_lsa(pairs, len(roles))
            method = "lsa"
        if multi or not _meets_coop_rules(list(assignment.values()), pool, team, need):
            method = "milp"
            solved = _solve_milp(pairs, roles, pool, team, need, time_limit)
            if solved is None:
                dropped.append("min_coops")
                solved = _solve_milp(pairs, roles, pool, team, 0, time_limit)
            assignment, bound, status = solved
    say(90)
    objective_weight = sum(
        int(pairs.weight[(pairs.role == r) & (pairs.person == p)][0]) for r, p in assignment.items()
    )
    objective = _points(objective_weight, scale)
    bound_points = objective if status == "optimal" or bound is None else bound / scale / 100
    proposals = []
    for r, (role, c) in enumerate(zip(roles, candidates, strict=True)):
        chosen_position = assignment.get(r)
        chosen = None
        if chosen_position is not None:
            chosen = _scored(pool, team, role, c, chosen_position, overlaps)
        taken = set(assignment.values())
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
    # Roles left open: nobody passed the filters, or the team's constraints kept them out.
    gaps = [c.gap for r, c in enumerate(candidates) if r not in assignment]
    say(100)
    return Result(
        proposals=proposals, gaps=gaps, objective=objective,
        bound=max(bound_points, objective), method=method, status=status, dropped=dropped,
        seconds=time.perf_counter() - started,
    )  # fmt: skip


def _scored(pool, team, role, c: _RoleCandidates, position: int, overlaps) -> Scored:
    k = int(np.searchsorted(c.index, position))
    return Scored(
        person=int(pool.ids[position]), coop=int(pool.coops[position]),
        score=float(c.score[k]), parts=explain(pool, team, role, position, overlaps),
    )  # fmt: skip


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


# A baseline for the benchmark ---------------------------------------------------------------------
def greedy(team: Team, pool: Pool) -> float:
    """Role by role, the best candidate still free who keeps the co-op limit: the objective in
    points (what a person picking by hand would reach)."""
    roles = list(team.roles)
    scale = len(roles) + 1
    overlaps = _overlaps(pool, team)
    counts = dict(team.fixed_coops)
    used_hours: dict[int, int] = {}
    total = 0
    for role in roles:
        c = _candidates(pool, team, role, overlaps, scale)
        for k in np.lexsort((pool.ids[c.index], -c.weight)):
            position = int(c.index[k])
            coop = int(pool.coops[position])
            hours = used_hours.get(position, 0)
            if hours + role.hours > pool.free_hours[position]:
                continue
            if hours == 0 and counts.get(coop, 0) >= team.per_coop_limit:
                continue
            if hours == 0:
                counts[coop] = counts.get(coop, 0) + 1
            used_hours[position] = hours + role.hours
            total += int(c.weight[k])
            break
    return _points(total, scale)


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
