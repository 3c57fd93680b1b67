"""The pure matcher (projects/matching.py): each rule, each team constraint, daylight saving time,
and optimality against a brute-force search on small random instances."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from projects import matching
from projects.matching import Person, Pool, Requirement, Role, Team

pytestmark = pytest.mark.pure

DJANGO, FIGMA, DOCKER = 1, 2, 3
EN, ES = 10, 11


def person(pid, coop=1, *, free=20, skills=None, languages=None, **kw) -> Person:
    return Person(
        id=pid,
        coop=coop,
        free_hours=free,
        skills={DJANGO: 3} if skills is None else skills,
        languages={EN: 3} if languages is None else languages,
        **kw,
    )


def role(rid=100, *, hours=10, skills=((DJANGO, 2, 3),), languages=(EN,)) -> Role:
    return Role(
        id=rid,
        title=f"Role {rid}",
        hours=hours,
        requirements=tuple(Requirement(s, m, w, f"skill {s}") for s, m, w in skills),
        languages=frozenset(languages),
    )


def solo(roles, people, **team) -> matching.Result:
    team.setdefault("min_coops", 1)
    return matching.match(Team(roles=tuple(roles), **team), Pool.of(people))


# hard filters -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "reason"),
    [
        (person(1, opted_in=False), matching.NOT_OPTED_IN),
        (person(1, active=False), matching.INACTIVE),
        (person(1, declined=True), matching.DECLINED),
        (person(1, free=9), matching.HOURS),
        (person(1, languages={ES: 4}), matching.LANGUAGE),
        (person(1, skills={DJANGO: 1}), f"{matching.SKILL}:{DJANGO}"),
        (person(1, skills={FIGMA: 4}), f"{matching.SKILL}:{DJANGO}"),
        (person(1, available_from=dt.date(2027, 3, 1)), matching.NOT_AVAILABLE),
    ],
)
def test_a_person_failing_a_hard_rule_is_left_out_and_counted_in_the_gap_report(who, reason):
    result = solo([role()], [who], start=dt.date(2027, 1, 4))

    assert result.assignment() == {}
    assert result.gaps[0].candidates == 0
    assert result.gaps[0].failed == {reason: 1}


def test_a_person_passing_every_rule_is_proposed_with_the_parts_of_the_score():
    result = solo([role()], [person(1, free=20)])

    chosen = result.proposals[0].chosen
    assert chosen.person == 1
    parts = chosen.parts
    assert parts["skills"]["skills"][0] == {
        "skill": DJANGO,
        "name": "skill 1",
        "level": 3,
        "min": 2,
        "weight": 3,
    }
    assert parts["spare"]["free"] == 20 and parts["spare"]["needed"] == 10
    assert chosen.score == pytest.approx(sum(p["points"] for p in parts.values()), abs=0.02)
    assert result.gaps == []


def test_any_one_of_the_roles_languages_is_enough():
    result = solo([role(languages=(EN, ES))], [person(1, languages={ES: 2})])
    assert result.assignment() == {100: 1}


def test_a_higher_skill_level_and_more_spare_hours_score_higher():
    people = [
        person(1, skills={DJANGO: 2}),
        person(2, skills={DJANGO: 4}, free=15),
        person(3, skills={DJANGO: 4}, free=20),
    ]
    scores = {a.person: a.score for a in solo([role()], people).proposals[0].alternates}
    chosen = solo([role()], people).proposals[0].chosen
    assert chosen.person == 3
    assert scores[2] > scores[1]


# time zones ---------------------------------------------------------------------------------------
SOFIA, BUENOS_AIRES = "Europe/Sofia", "America/Argentina/Buenos_Aires"
CORE = (dt.time(13), dt.time(16))  # UTC


def test_sofia_working_day_overlap_shrinks_when_daylight_saving_time_starts():
    workday = (9 * 60, 17 * 60)  # 09:00-17:00 local
    winter = Team(roles=(), core_hours=CORE, start=dt.date(2027, 1, 4), end=dt.date(2027, 2, 1))
    spanning = Team(roles=(), core_hours=CORE, start=dt.date(2027, 3, 1), end=dt.date(2027, 4, 30))
    # Winter: UTC+2, 07:00-15:00 UTC shares 13-15. Summer (from 28 March 2027): UTC+3, 13-14.
    assert matching.worst_overlap(SOFIA, workday, winter) == 120
    assert matching.worst_overlap(SOFIA, workday, spanning) == 60
    # Buenos Aires has no daylight saving time: 12:00-20:00 UTC all year.
    assert matching.worst_overlap(BUENOS_AIRES, workday, spanning) == 180


def test_sofia_overlap_grows_back_after_the_october_change():
    workday = (9 * 60, 17 * 60)
    autumn = Team(roles=(), core_hours=CORE, start=dt.date(2027, 11, 1), end=dt.date(2027, 12, 1))
    across = Team(roles=(), core_hours=CORE, start=dt.date(2027, 10, 1), end=dt.date(2027, 11, 30))
    assert matching.worst_overlap(SOFIA, workday, autumn) == 120
    assert matching.worst_overlap(SOFIA, workday, across) == 60


def test_the_overlap_rule_leaves_out_sofia_for_a_project_across_the_march_change_only():
    people = [person(1, timezone=SOFIA), person(2, coop=2, timezone=BUENOS_AIRES)]
    kw = {"core_hours": CORE, "min_overlap_minutes": 120}
    winter = solo([role()], people[:1], start=dt.date(2027, 1, 4), end=dt.date(2027, 2, 1), **kw)
    spring = solo([role()], people, start=dt.date(2027, 3, 1), end=dt.date(2027, 4, 30), **kw)

    assert winter.assignment() == {100: 1}
    assert spring.assignment() == {100: 2}
    assert spring.gaps == []
    assert [a.person for a in spring.proposals[0].alternates] == []


def test_a_core_window_past_midnight_utc_and_a_night_shift_overlap():
    night = (22 * 60, 6 * 60)  # 22:00-06:00 local
    team = Team(roles=(), core_hours=(dt.time(23), dt.time(2)), start=dt.date(2027, 1, 4))
    assert matching.worst_overlap("UTC", night, team) == 180


# team constraints ---------------------------------------------------------------------------------
def test_a_person_takes_two_roles_only_when_their_hours_allow_both():
    roles = [role(1, hours=10), role(2, hours=10)]
    busy = solo(roles, [person(7, free=15)])
    roomy = solo(roles, [person(7, free=20)])

    assert len(busy.assignment()) == 1
    assert roomy.assignment() == {1: 7, 2: 7}


def test_at_most_k_people_from_one_coop():
    roles = [role(r) for r in (1, 2, 3, 4)]
    strong = [person(i, coop=1, free=10, skills={DJANGO: 4}) for i in (1, 2, 3, 4)]
    weak = [person(i, coop=2, free=10, skills={DJANGO: 2}) for i in (5, 6)]
    result = solo(roles, strong + weak, max_per_coop=2)

    chosen = [result.proposals[i].chosen for i in range(4)]
    assert sorted(c.coop for c in chosen) == [1, 1, 2, 2]


def test_at_least_n_coops_even_when_one_coop_has_the_best_people():
    roles = [role(1), role(2)]
    people = [
        person(1, coop=1, skills={DJANGO: 4}),
        person(2, coop=1, skills={DJANGO: 4}),
        person(3, coop=2, skills={DJANGO: 2}),
    ]
    result = matching.match(Team(roles=tuple(roles), min_coops=2, max_per_coop=2), Pool.of(people))

    assert {p.chosen.coop for p in result.proposals} == {1, 2}
    assert result.method == "milp" and result.status == "optimal"


def test_an_unreachable_coop_minimum_is_dropped_and_said():
    people = [person(1, coop=1), person(2, coop=1)]
    team = Team(roles=(role(1), role(2)), min_coops=2, max_per_coop=2)
    result = matching.match(team, Pool.of(people))

    assert len(result.assignment()) == 2
    assert result.dropped == ["min_coops"]


def test_people_already_in_the_team_count_for_the_coop_rules():
    people = [person(1, coop=1, skills={DJANGO: 4}), person(2, coop=2, skills={DJANGO: 2})]
    team = Team(roles=(role(1),), team_size=3, fixed_coops={1: 2}, min_coops=2, max_per_coop=2)
    assert matching.match(team, Pool.of(people)).assignment() == {1: 2}


def test_the_source_coops_person_wins_a_tie():
    people = [person(1, coop=1), person(2, coop=2)]
    assert solo([role()], people, source_coop=2).assignment() == {100: 2}
    assert solo([role()], people, source_coop=1).assignment() == {100: 1}


def test_a_role_nobody_can_fill_is_in_the_gap_report_and_the_others_are_filled():
    roles = [role(1), role(2, skills=((DOCKER, 3, 3),))]
    result = solo(roles, [person(1), person(2)])
    assert set(result.assignment()) == {1}
    assert result.gaps[0].role == 2
    assert result.gaps[0].failed == {f"{matching.SKILL}:{DOCKER}": 2}


def test_three_alternates_are_people_not_chosen_for_any_role():
    people = [person(i, skills={DJANGO: 2 + i % 3}) for i in range(1, 8)]
    result = solo([role(1), role(2)], people)
    chosen = set(result.assignment().values())
    for proposal in result.proposals:
        assert len(proposal.alternates) == 3
        assert not chosen & {a.person for a in proposal.alternates}


def test_the_same_data_gives_the_same_result():
    rng = random.Random(4)
    people = _random_people(rng, 40)
    roles = _random_roles(rng, 4)
    team = Team(roles=roles, min_coops=2, max_per_coop=2)
    first = matching.match(team, Pool.of(people))
    again = matching.match(team, Pool.of(people))
    assert first.assignment() == again.assignment()
    assert [p.alternates for p in first.proposals] == [p.alternates for p in again.proposals]


# optimality ---------------------------------------------------------------------------------------
def _random_people(rng: random.Random, n: int) -> list[Person]:
    return [
        Person(
            id=i + 1,
            coop=rng.randint(1, 4),
            free_hours=rng.choice([8, 10, 20, 30, 40]),
            skills={s: rng.randint(1, 4) for s in rng.sample([1, 2, 3, 4], rng.randint(1, 3))},
            languages={rng.choice([EN, ES]): rng.randint(1, 4)},
            timezone=rng.choice([SOFIA, BUENOS_AIRES, "Asia/Kolkata", "UTC"]),
        )
        for i in range(n)
    ]


def _random_roles(rng: random.Random, n: int) -> tuple[Role, ...]:
    return tuple(
        Role(
            id=r + 1,
            title=f"R{r}",
            hours=rng.choice([5, 10, 15, 20]),
            requirements=tuple(
                Requirement(s, rng.randint(1, 3), rng.randint(1, 5))
                for s in rng.sample([1, 2, 3, 4], rng.randint(1, 2))
            ),
            languages=frozenset(rng.sample([EN, ES], rng.randint(1, 2))),
        )
        for r in range(n)
    )


def brute_force(team: Team, pool: Pool) -> float:
    """Every way to give each role one candidate or nobody; the best objective that keeps the
    rules (and, when no way reaches N co-ops, the best without that rule, as the matcher does)."""
    weights = matching.pair_weights(team, pool)
    options = [[None] + [p for (r2, p) in weights if r2 == r] for r in range(len(team.roles))]
    best = {True: -1, False: -1}
    for combo in itertools.product(*options):
        used: dict[int, int] = {}
        for r, p in enumerate(combo):
            if p is not None:
                used[p] = used.get(p, 0) + team.roles[r].hours
        if any(hours > pool.free_hours[p] for p, hours in used.items()):
            continue
        counts = dict(team.fixed_coops)
        for p in used:
            counts[int(pool.coops[p])] = counts.get(int(pool.coops[p]), 0) + 1
        if any(count > team.per_coop_limit for count in counts.values()):
            continue
        total = sum(weights[(r, p)] for r, p in enumerate(combo) if p is not None)
        enough = sum(1 for c in counts.values() if c) >= team.coops_needed
        best[enough] = max(best[enough], total)
        best[False] = max(best[False], total)
    chosen = best[True] if best[True] >= 0 else best[False]
    return matching.objective_points(chosen, team)


@pytest.mark.parametrize("seed", range(40))
def test_the_matcher_equals_a_brute_force_optimum_on_small_random_instances(seed):
    rng = random.Random(seed)
    people = _random_people(rng, rng.randint(4, 8))
    roles = _random_roles(rng, rng.randint(1, 3))
    team = Team(
        roles=roles,
        min_coops=rng.randint(1, 3),
        max_per_coop=rng.choice([None, 1, 2]),
        source_coop=rng.choice([None, 1]),
        core_hours=rng.choice([None, CORE]),
        min_overlap_minutes=60,
        start=dt.date(2027, 3, 15),
        end=dt.date(2027, 4, 15),
    )
    pool = Pool.of(people)

    result = matching.match(team, pool)

    assert result.status == "optimal"
    assert result.objective == pytest.approx(brute_force(team, pool), abs=1e-9)


def test_pruning_keeps_the_optimum_on_a_larger_pool():
    rng = random.Random(99)
    people = _random_people(rng, 300)
    roles = _random_roles(rng, 3)
    team = Team(roles=roles, min_coops=3, max_per_coop=1)
    pool = Pool.of(people)
    # A brute force over 300 people and 3 roles is too big; the same matcher without pruning
    # (an exact MILP over every pair) is the reference.
    result = matching.match(team, pool)
    assert result.objective == pytest.approx(_unpruned_optimum(team, pool))


def _unpruned_optimum(team: Team, pool: Pool) -> float:
    weights = matching.pair_weights(team, pool)
    import numpy as np

    pairs = matching._Pairs(
        np.array([r for r, _p in weights]),
        np.array([p for _r, p in weights]),
        np.array(list(weights.values()), dtype=np.int64),
    )
    solved = matching._solve_milp(pairs, team.roles, pool, team, team.coops_needed, 60)
    assignment, _bound, _status = solved
    total = sum(weights[(r, p)] for r, p in assignment.items())
    return matching.objective_points(total, team)


def test_a_greedy_pick_never_beats_the_matcher():
    rng = random.Random(7)
    people = _random_people(rng, 200)
    team = Team(roles=_random_roles(rng, 6), min_coops=1, max_per_coop=2)
    pool = Pool.of(people)
    assert matching.greedy(team, pool) <= matching.match(team, pool).objective


# time limits and the greedy fallback --------------------------------------------------------------
def _stopped_before_any_team(dual_bound):
    """What HiGHS answers when its time limit hits before it has any team."""
    from types import SimpleNamespace

    def milp(*args, **kwargs):
        return SimpleNamespace(status=1, x=None, mip_dual_bound=dual_bound)

    return milp


def _hard_instance():
    rng = random.Random(1)  # a seed where the greedy team is not provably the best
    people = _random_people(rng, 60)
    team = Team(roles=_random_roles(rng, 6), min_coops=3, max_per_coop=1)
    return team, Pool.of(people)


def _keeps_every_rule(team: Team, pool: Pool, assignment: dict[int, int], need: int) -> bool:
    hours: dict[int, int] = {}
    for r, p in assignment.items():
        hours[p] = hours.get(p, 0) + team.roles[r].hours
    if any(h > pool.free_hours[p] for p, h in hours.items()):
        return False
    counts = dict(team.fixed_coops)
    for p in hours:
        counts[int(pool.coops[p])] = counts.get(int(pool.coops[p]), 0) + 1
    if any(count > team.per_coop_limit for count in counts.values()):
        return False
    return sum(1 for c in counts.values() if c) >= need


def test_a_solver_stopped_before_any_team_returns_the_greedy_team_with_a_truthful_gap(monkeypatch):
    team, pool = _hard_instance()
    optimum = matching.match(team, pool).objective
    greedy_points = matching.greedy(team, pool)
    assert greedy_points < optimum  # otherwise the relaxation proves it and no solver runs
    monkeypatch.setattr(matching, "milp", _stopped_before_any_team(None))

    result = matching.match(team, pool, time_limit=0.01)

    assert result.status == "time_limit" and result.found_by == "greedy"
    assert result.objective == greedy_points > 0
    assert len(result.assignment()) == len(matching.greedy_team(team, pool))
    assert result.bound >= optimum
    assert result.proven_gap == pytest.approx((result.bound - result.objective) / result.bound)
    assert result.proven_gap > 0


def test_the_bound_never_exceeds_every_role_with_its_best_candidate(monkeypatch):
    team, pool = _hard_instance()
    monkeypatch.setattr(matching, "milp", _stopped_before_any_team(-1e15))  # a useless bound
    monkeypatch.setattr(matching, "LP_TIME_LIMIT", 0.0)
    monkeypatch.setattr(matching, "linprog", lambda *a, **k: type("R", (), {"status": 1})())

    result = matching.match(team, pool, time_limit=0.01)

    weights = matching.pair_weights(team, pool)
    best = sum(max(w for (r2, _p), w in weights.items() if r2 == r) for r in range(6))
    assert result.status == "time_limit"
    assert result.bound == matching.objective_points(best, team)
    assert result.objective <= result.bound


def test_a_real_time_limit_never_returns_less_than_the_greedy_team_nor_a_bound_below_the_optimum():
    team, pool = _hard_instance()
    optimum = matching.match(team, pool).objective

    result = matching.match(team, pool, time_limit=0.0)

    assert matching.greedy(team, pool) <= result.objective <= optimum
    assert result.objective <= optimum <= result.bound
    if result.status == "optimal":
        assert result.objective == optimum


@pytest.mark.parametrize("seed", range(40))
def test_the_greedy_team_keeps_every_rule_and_never_beats_the_optimum(seed):
    rng = random.Random(1000 + seed)
    people = _random_people(rng, rng.randint(4, 8))
    team = Team(
        roles=_random_roles(rng, rng.randint(1, 3)),
        min_coops=rng.randint(1, 3),
        max_per_coop=rng.choice([None, 1, 2]),
        source_coop=rng.choice([None, 1]),
    )
    pool = Pool.of(people)
    optimum = brute_force(team, pool)

    chosen = matching.greedy_team(team, pool)

    need = team.coops_needed if _some_team_reaches_the_coop_minimum(team, pool) else 0
    assert _keeps_every_rule(team, pool, chosen, need)
    assert matching.greedy(team, pool) <= optimum


def _some_team_reaches_the_coop_minimum(team: Team, pool: Pool) -> bool:
    weights = matching.pair_weights(team, pool)
    options = [[None] + [p for (r2, p) in weights if r2 == r] for r in range(len(team.roles))]
    return any(
        _keeps_every_rule(
            team, pool, {r: p for r, p in enumerate(combo) if p is not None}, team.coops_needed
        )
        for combo in itertools.product(*options)
    )


def test_the_greedy_team_reaches_the_coop_minimum_that_the_plain_best_picks_would_miss():
    roles = [role(1), role(2), role(3)]
    people = [
        person(1, coop=1, free=10, skills={DJANGO: 4}),
        person(2, coop=1, free=10, skills={DJANGO: 4}),
        person(3, coop=2, free=10, skills={DJANGO: 4}),
        person(4, coop=3, free=10, skills={DJANGO: 2}),
    ]
    team = Team(roles=tuple(roles), min_coops=3, max_per_coop=2)

    chosen = matching.greedy_team(team, Pool.of(people))

    assert {int(Pool.of(people).coops[p]) for p in chosen.values()} == {1, 2, 3}
