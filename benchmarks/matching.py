"""Team matching benchmark: time to a proposal, its score against the optimum (or the solver's
proven bound), and a greedy baseline's score on the same instance.

    python benchmarks/matching.py                       # 2k, 20k, 100k people, 5 seeds each
    python benchmarks/matching.py --sizes 100000 --seeds 3 --time-limit 1.5

Pure: no database and no Django (projects/matching.py works on plain arrays). The timing starts
from the people already in memory (a `Pool`): it covers filtering, scoring, pruning and the
solve, not the selectors that read the pool from PostgreSQL.

The synthetic networks look like ours: co-ops of very uneven size (about 20 people on average),
each with a few focus skills its members tend to share; skills by popularity (a few common, a
long tail); levels skewed low, except for a few percent of seasoned generalists who know more
skills, and better; most people working 09:00-17:00 in a couple of dozen timezones, a few hours
a week free for network work (4-20, a third with enough for two roles of 4-10 hours); English and Spanish the common
languages.

The instances are tight on purpose, because plentiful roles are solved as well by hand: each
team of 10 roles needs a specialism of the network (three mid-tail skills). Half the roles are
specialist (two or three of those skills at the level that leaves 2-5 people qualified, at any
network size), the others broad (the same skills at a low minimum, dozens qualified). So the
same strong people are the best for several roles, they cluster in the co-ops that focus
on the specialism (at most 2 per co-op, at least 5 co-ops), and some have the hours for two
roles. The greedy baseline picks role by role the best candidate still free that keeps every
team rule (hours, co-op limit, and enough roles left to reach the co-op minimum), as a person
picking by hand would.

Targets: <= 2 s at 100k people; ratio 1.00 when the solver proves optimality; >= 0.98 of the
bound when its time limit stops it. The last table forces the time limit (a team of 40 roles on
100k people, solver limit 0.05 s, far below what HiGHS needs) to show that case.

With `--database` (run through scripts/testenv.py --keep-data, as `make bench-matching` does)
it also times the whole run against PostgreSQL: a project with 10 roles on the seeded network
(100,000 people unless told otherwise; seeded once with seed_demo and kept in var/bench), from
reading the candidates to storing the proposal, and prints the split: read (the selectors:
people, levels, languages, committed hours, the pool), filter (the matcher's filters, scores
and pruning), solve, store. Target: a median of at most 1.5 s end to end. Every write is rolled
back.

The figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from projects import matching

ZONES = [
    ("Europe/Sofia", 10),
    ("Europe/Madrid", 12),
    ("Europe/London", 8),
    ("Europe/Berlin", 8),
    ("America/Argentina/Buenos_Aires", 14),
    ("America/Sao_Paulo", 6),
    ("America/Mexico_City", 6),
    ("America/Bogota", 4),
    ("America/New_York", 6),
    ("America/Los_Angeles", 3),
    ("Africa/Nairobi", 4),
    ("Africa/Johannesburg", 3),
    ("Asia/Kolkata", 5),
    ("Asia/Tokyo", 2),
    ("Australia/Sydney", 2),
    ("Pacific/Auckland", 1),
    ("Europe/Warsaw", 3),
    ("UTC", 3),
]
SKILLS = 60
SLOTS = 10  # skill picks per person (duplicates collapse, so fewer distinct skills)
LANGUAGES = {1: 0.75, 2: 0.45, 3: 0.12, 4: 0.10, 5: 0.08}  # language id -> share speaking it
LEVELS = [0.42, 0.33, 0.18, 0.07]  # levels 1..4
GENERALISTS = 0.04  # share of seasoned people: more skills, one level higher
ROLES = 10
MIN_COOPS, MAX_PER_COOP = 5, 2
SCARCE = (2, 5)  # people per role meeting its skills and hours: what a specialist role finds


def network(n: int, rng: np.random.Generator) -> matching.Pool:
    # Co-ops of uneven size (log-normal), each with three focus skills.
    n_coops = max(2, n // 20)
    size_weight = rng.lognormal(0, 0.8, size=n_coops)
    coops = rng.choice(n_coops, p=size_weight / size_weight.sum(), size=n)
    popularity = 1 / np.arange(1, SKILLS + 1) ** 0.9
    popularity /= popularity.sum()
    focus = rng.choice(SKILLS, p=popularity, size=(n_coops, 3))
    generalist = rng.random(n) < GENERALISTS
    counts = np.where(generalist, rng.integers(6, SLOTS + 1, size=n), rng.integers(2, 8, size=n))
    from_focus = rng.random((n, SLOTS)) < 0.5
    picks = np.where(
        from_focus,
        focus[coops[:, None], rng.integers(0, 3, size=(n, SLOTS))],
        rng.choice(SKILLS, p=popularity, size=(n, SLOTS)),
    )
    levels = rng.choice([1, 2, 3, 4], p=LEVELS, size=(n, SLOTS))
    levels = np.where(generalist[:, None], np.minimum(4, levels + 1), levels)
    skills = {s: np.zeros(n, np.int8) for s in range(1, SKILLS + 1)}
    for k in range(SLOTS):
        has = counts > k
        for s in range(SKILLS):
            rows = has & (picks[:, k] == s)
            skills[s + 1][rows] = np.maximum(skills[s + 1][rows], levels[rows, k])
    languages = {
        g: np.where(rng.random(n) < share, rng.integers(1, 5, size=n), 0).astype(np.int8)
        for g, share in LANGUAGES.items()
    }
    languages[1][(languages[1] == 0) & (languages[2] == 0)] = 2  # everyone works in one of them
    names = [z for z, _w in ZONES]
    weights = np.array([w for _z, w in ZONES], float)
    starts = rng.choice([8 * 60, 9 * 60, 9 * 60, 9 * 60, 10 * 60], size=n)
    return matching.Pool(
        ids=np.arange(1, n + 1),
        coops=coops + 1,
        free_hours=rng.choice(
            [0, 4, 6, 8, 10, 12, 16, 20], p=[0.25, 0.15, 0.15, 0.15, 0.1, 0.08, 0.07, 0.05], size=n
        ),
        skills=skills,
        languages=languages,
        zones=names,
        zone_index=rng.choice(len(names), p=weights / weights.sum(), size=n),
        workday_start=starts,
        workday_end=starts + 8 * 60,
        opted_in=rng.random(n) < 0.85,
        active=rng.random(n) < 0.97,
    )


def _qualified(pool: matching.Pool, spec: matching.Team, role: matching.Role, overlaps) -> int:
    """People passing every filter of the role (the solver's own filters)."""
    return len(matching._candidates(pool, spec, role, overlaps, 1).index)


def team(
    pool: matching.Pool, rng: np.random.Generator, roles: int = ROLES, scarce=SCARCE
) -> matching.Team:
    """A team that needs a specialism of the network (three mid-tail skills). Half the roles
    are specialist: one to three of those skills at the level that leaves only a handful of
    people qualified. The others are broad: one of them at level 2 with a second one (or a
    common skill) at a low minimum, so dozens qualify, but the specialists score best there
    too. Roles come in random
    order, as people write them."""
    specialism = [int(s) + 1 for s in rng.choice(np.arange(8, 36), size=3, replace=False)]
    low, high = scarce
    rules = dict(
        core_hours=(dt.time(13), dt.time(16)),
        min_overlap_minutes=120,
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 6, 30),
        min_coops=MIN_COOPS,
        max_per_coop=MAX_PER_COOP,
        source_coop=1,
    )
    overlaps = matching._overlaps(pool, matching.Team(roles=(), **rules))
    made = []
    for r in range(roles):
        hours = int(rng.choice([4, 6, 8, 10], p=[0.3, 0.3, 0.25, 0.15]))
        languages = frozenset({1} if r % 3 else {1, 2})
        order = [int(s) for s in rng.permutation(specialism)]

        def role(reqs, hours=hours, languages=languages, r=r):
            return matching.Role(
                id=r + 1,
                title=f"Role {r + 1}",
                hours=hours,
                languages=languages,
                requirements=tuple(matching.Requirement(s, lvl, w) for s, lvl, w in reqs),
            )

        if rng.random() < 0.5:  # specialist: the strictest form that still leaves `low`
            options = [
                [(s, level, 5) for s in order[:k]]
                for k, level in [(1, 3), (1, 4), (2, 2), (2, 3), (2, 4), (3, 3), (3, 4)]
            ]
        else:  # broad
            common = int(rng.integers(1, 8))
            options = [
                [(order[0], 2, 5), (common, 1, 1)],
                [(order[0], 2, 5), (order[1], 1, 3)],
                [(order[0], 2, 5), (order[1], 2, 3)],
            ]
        chosen = role(options[0])
        for reqs in options[1:]:
            candidate = role(reqs)
            count = _qualified(pool, matching.Team(roles=(), **rules), candidate, overlaps)
            if count < (low if len(options) > 3 else 4 * high):  # broad: dozens
                break
            chosen = candidate
            if count <= high:
                break
        made.append(chosen)
    return matching.Team(roles=tuple(made), **rules)


def greedy(spec: matching.Team, pool: matching.Pool) -> tuple[float, int, float]:
    """Role by role, the best candidate still free who keeps every team rule (hours, co-op
    limit, and enough roles left to reach the co-op minimum): (points, filled roles, and the
    trivial upper bound: every role filled by its best candidate)."""
    weights = matching.pair_weights(spec, pool)
    by_role: dict[int, list[tuple[int, int]]] = {}
    for (r, position), w in weights.items():
        by_role.setdefault(r, []).append((-w, int(pool.ids[position]), position))
    hours_used: dict[int, int] = {}
    per_coop: dict[int, int] = {}
    total = filled = 0
    n_roles = len(spec.roles)
    for r, role in enumerate(spec.roles):
        missing = spec.coops_needed - sum(1 for c in per_coop.values() if c)
        must_add_coop = missing >= n_roles - r
        for minus_w, _id, position in sorted(by_role.get(r, [])):
            coop = int(pool.coops[position])
            used = hours_used.get(position, 0)
            if used + role.hours > pool.free_hours[position]:
                continue
            if used == 0 and per_coop.get(coop, 0) >= spec.per_coop_limit:
                continue
            if must_add_coop and per_coop.get(coop, 0):
                continue
            hours_used[position] = used + role.hours
            if used == 0:
                per_coop[coop] = per_coop.get(coop, 0) + 1
            total -= minus_w
            filled += 1
            break
    ceiling = sum(-min(options)[0] for options in by_role.values())
    return matching.objective_points(total, spec), filled, matching.objective_points(ceiling, spec)


@dataclass
class Row:
    people: int
    seed: int
    seconds: float
    method: str
    status: str
    filled: int
    roles: int
    score: float
    reference: float
    gap: float
    greedy: float
    greedy_filled: int
    library_greedy: float

    @property
    def ratio(self) -> float:
        return self.score / self.reference if self.reference else 1.0

    @property
    def greedy_ratio(self) -> float:
        return self.greedy / self.reference if self.reference else 1.0


def run(n: int, seed: int, time_limit: float, roles: int = ROLES, scarce=SCARCE) -> Row:
    rng = np.random.default_rng(seed * 1_000_003 + n)
    pool = network(n, rng)
    spec = team(pool, rng, roles, scarce)
    started = time.perf_counter()
    result = matching.match(spec, pool, time_limit=time_limit)
    seconds = time.perf_counter() - started
    points, filled, ceiling = greedy(spec, pool)
    # A proven bound is never below a feasible team (when the solver stops without one it
    # reports 0: then the greedy team is the reference) nor above every role's best candidate
    # (HiGHS stopped early may report a looser one).
    reference = max(min(result.bound, ceiling), result.objective, points)
    return Row(
        people=n,
        seed=seed,
        seconds=seconds,
        method=result.method,
        status=result.status,
        filled=len(result.assignment()),
        roles=len(spec.roles),
        score=result.objective,
        reference=reference,
        gap=result.proven_gap,
        greedy=points,
        greedy_filled=filled,
        library_greedy=matching.greedy(spec, pool),
    )


HEADER = (
    f"{'people':>7} {'seed':>4} {'seconds':>7} {'method':>6} {'status':>10} {'filled':>6} "
    f"{'score':>8} {'opt/bound':>9} {'ratio':>6} {'gap':>6} {'greedy':>6} {'g.fill':>6}"
)


def show(row: Row) -> str:
    return (
        f"{row.people:>7} {row.seed:>4} {row.seconds:>7.3f} {row.method:>6} {row.status:>10} "
        f"{row.filled:>3}/{row.roles:<2} {row.score:>8.2f} {row.reference:>9.2f} "
        f"{row.ratio:>6.3f} {row.gap:>6.2%} {row.greedy_ratio:>6.3f} "
        f"{row.greedy_filled:>3}/{row.roles:<2}"
    )


def summary(rows: list[Row]) -> str:
    times = [r.seconds for r in rows]
    worse = sum(1 for r in rows if r.greedy < r.score - 0.005)
    limited = sum(1 for r in rows if r.status == "time_limit")
    return (
        f"{rows[0].people:>7} {len(rows):>5} {statistics.median(times):>7.3f} {max(times):>7.3f} "
        f"{min(r.ratio for r in rows):>7.3f} {statistics.mean(r.greedy_ratio for r in rows):>7.3f} "
        f"{min(r.greedy_ratio for r in rows):>7.3f} {worse:>3}/{len(rows):<3} "
        f"{limited:>3}/{len(rows):<3} {statistics.mean(r.filled for r in rows):>6.1f}"
    )


SUMMARY_HEADER = (
    f"{'people':>7} {'seeds':>5} {'median':>7} {'worst':>7} {'w.ratio':>7} {'greedy':>7} "
    f"{'w.greedy':>7} {'g<opt':>7} {'limited':>7} {'filled':>6}"
)


@dataclass
class DatabaseRow:
    seed: int
    people: int
    read: float
    filter: float
    solve: float
    store: float
    filled: int
    roles: int

    @property
    def total(self) -> float:
        return self.read + self.filter + self.solve + self.store


def database_run(people: int, seeds: int, time_limit: float) -> list[DatabaseRow]:
    """End to end on PostgreSQL: the seeded network, a project of ROLES roles per seed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Count

    from members.models import Language, Organisation, Person, PersonSkill
    from projects.selectors.matching_runs import matching_input
    from projects.selectors.teams import open_roles
    from projects.services.matching_runs import _store_proposal

    call_command("migrate", verbosity=0)
    if Person.objects.count() < people:
        print(f"seeding {people:,} people…", file=sys.stderr)
        call_command("seed_demo", organisations=max(people // 10, 10), people=people, verbosity=0)
    skills = [
        row["skill_id"]
        for row in PersonSkill.objects.filter(level__gte=3)
        .values("skill_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:30]
    ]
    english = Language.objects.filter(code="en").first()
    rows = []
    for seed in tqdm(range(1, seeds + 1), desc="database runs", unit="run"):
        rng = np.random.default_rng(seed)
        with transaction.atomic():
            project, run = _bench_project(rng, skills, english, Organisation, seed)
            started = time.perf_counter()
            roles = list(open_roles(project))
            team_spec, pool = matching_input(project, roles)
            read = time.perf_counter() - started
            marks: dict[int, float] = {}

            def mark(percent: int, marks: dict[int, float] = marks) -> None:
                marks.setdefault(percent, time.perf_counter())

            matched = time.perf_counter()
            result = matching.match(team_spec, pool, time_limit=time_limit, progress=mark)
            done = time.perf_counter()
            _store_proposal(project, roles, run, result)
            stored = time.perf_counter()
            rows.append(
                DatabaseRow(
                    seed=seed,
                    people=len(pool),
                    read=read,
                    filter=marks[50] - matched,
                    solve=done - marks[50],
                    store=stored - done,
                    filled=len(result.assignment()),
                    roles=len(roles),
                )
            )
            transaction.set_rollback(True)
    return rows


def _bench_project(rng, skills, english, organisation_model, seed):
    """A project of ROLES roles needing one or two of the network's common skills."""
    from circles.models import Circle
    from projects.models import MatchRun, Project, TeamRole, TeamRoleSkill

    circle = Circle.objects.create(name=f"Benchmark circle {seed}", slug=f"benchmark-{seed}")
    source = organisation_model.objects.filter(status="member").order_by("id").first()
    project = Project.objects.create(
        name=f"Benchmark project {seed}",
        circle=circle,
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 6, 30),
        core_hours_start_utc=dt.time(13),
        core_hours_end_utc=dt.time(16),
        min_coops=MIN_COOPS,
        max_per_coop=MAX_PER_COOP,
        **({"lead_coop": source} if source else {}),
    )
    for r in range(ROLES):
        role = TeamRole.objects.create(
            project=project,
            title=f"Role {r + 1}",
            hours_per_week=int(rng.choice([4, 6, 8, 10])),
            position=r,
        )
        for skill in rng.choice(skills, size=int(rng.integers(1, 3)), replace=False):
            TeamRoleSkill.objects.create(
                role=role, skill_id=int(skill), min_level=int(rng.integers(2, 4)), weight=3
            )
        if english is not None:
            role.languages.add(english)
    run = MatchRun.objects.create(project=project, status=MatchRun.Status.RUNNING)
    return project, run


def show_database(rows: list[DatabaseRow]) -> None:
    print(f"\nEnd to end on PostgreSQL: {rows[0].people:,} people, {ROLES} roles, seconds")
    print(
        f"{'seed':>4} {'read':>7} {'filter':>7} {'solve':>7} {'store':>7} {'total':>7} {'filled':>6}"
    )
    for r in rows:
        print(
            f"{r.seed:>4} {r.read:>7.3f} {r.filter:>7.3f} {r.solve:>7.3f} {r.store:>7.3f} "
            f"{r.total:>7.3f} {r.filled:>3}/{r.roles:<2}"
        )
    median = statistics.median(r.total for r in rows)
    print(
        f"median {median:.3f} s (read {statistics.median(r.read for r in rows):.3f}, filter "
        f"{statistics.median(r.filter for r in rows):.3f}, solve "
        f"{statistics.median(r.solve for r in rows):.3f}, store "
        f"{statistics.median(r.store for r in rows):.3f}); target at most 1.5 s: "
        f"{'met' if median <= 1.5 else 'NOT met'}"
    )


def _warm_solvers() -> None:
    """Import SciPy's solvers once (the matcher imports them on first use, as a worker does at
    its first match), so that no instance's time includes the import."""
    import scipy.optimize
    import scipy.sparse  # noqa: F401


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 100_000])
    parser.add_argument("--seeds", type=int, default=5, help="instances per size")
    parser.add_argument("--time-limit", type=float, default=1.5, help="solver limit, seconds")
    parser.add_argument(
        "--forced-limit",
        type=float,
        default=0.05,
        help="the short limit of the forced time-limit case, seconds (0: skip the case)",
    )
    parser.add_argument(
        "--database",
        type=int,
        nargs="?",
        const=100_000,
        default=0,
        metavar="PEOPLE",
        help="also run end to end on PostgreSQL at this many people (default 100,000)",
    )
    args = parser.parse_args()
    matching.match(matching.Team(roles=()), matching.Pool.of([]))  # warm imports
    _warm_solvers()
    if args.database:
        if "DATABASE_URL" not in os.environ:
            sys.exit("--database runs through scripts/testenv.py, which provides PostgreSQL.")
        show_database(database_run(args.database, args.seeds, args.time_limit))
    jobs = [(n, s) for n in args.sizes for s in range(1, args.seeds + 1)]
    rows: list[Row] = []
    for n, seed in tqdm(jobs, desc="instances", unit="instance"):
        rows.append(run(n, seed, args.time_limit))
    forced: list[Row] = []
    if args.forced_limit:
        for seed in tqdm(range(1, 4), desc="forced time limit", unit="instance"):
            forced.append(run(100_000, seed, args.forced_limit, roles=40))
    print("\nEvery instance (seconds: time to a proposal, pool in memory)")
    print(HEADER)
    for row in rows:
        print(show(row))
    print("\nPer size")
    print(SUMMARY_HEADER)
    for n in args.sizes:
        print(summary([r for r in rows if r.people == n]))
    if forced:
        print(f"\nForced time limit: 40 roles, 100k people, limit {args.forced_limit:g} s")
        print(HEADER)
        for row in forced:
            print(show(row))
    cheats = sum(1 for r in rows + forced if r.library_greedy > r.reference + 0.005)
    print(
        "\nscore: 100 points per filled role plus its 0-100 score. opt/bound: the proven optimum,"
        "\nor the solver's bound when its time limit stopped it; ratio: score / opt/bound; gap:"
        "\nthe gap the solver reports (against its own, possibly looser, bound). greedy: the rule-keeping greedy pick as a fraction of opt/bound"
        "\n(g.fill: its filled roles). Per size: median and worst seconds, worst ratio, mean"
        "\nand worst greedy ratio, seeds where greedy is below the solver, seeds time-limited."
        f"\nprojects.matching.greedy (the solver's own fallback) beat the bound on {cheats}"
        f" of {len(rows) + len(forced)} instances (it never should)."
    )


if __name__ == "__main__":
    main()
