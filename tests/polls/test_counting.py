"""Counting per kind of poll: the pure functions in polls/counting.py."""

from __future__ import annotations

import pytest

from polls.counting import (
    InvalidAnswer,
    clean_answer,
    count_amounts,
    count_choices,
    count_proposal,
    count_ranked,
    count_time,
)

pytestmark = pytest.mark.pure

A, B, C, D = 1, 2, 3, 4


def _ballots(*groups: tuple[int, list[int]]) -> list[dict]:
    return [{"ranking": ranking} for times, ranking in groups for _ in range(times)]


def test_ranked_choice_matches_an_election_counted_by_hand():
    """Fifteen ballots over A, B, C, D (listed in that order on the poll):

        5 ballots: A > B > C
        4 ballots: B > C > A
        3 ballots: C > B
        2 ballots: D > C
        1 ballots: D

    Round 1: A 5, B 4, C 3, D 3; 15 ballots count, a winner needs more than 7.5. C and D share
    the fewest; there is no earlier round to look back to, so the one listed last, D, goes.
    Its three ballots: two move to C, one ranked nobody else and is exhausted.
    Round 2: A 5, B 4, C 5, 1 exhausted; 14 count, a winner needs more than 7. B goes; its four
    ballots move to C.
    Round 3: A 5, C 9: C has a majority of the 14 and wins.
    """
    rounds = count_ranked(
        [A, B, C, D],
        _ballots((5, [A, B, C]), (4, [B, C, A]), (3, [C, B]), (2, [D, C]), (1, [D])),
    )

    assert [r.votes for r in rounds] == [
        {A: 5, B: 4, C: 3, D: 3},
        {A: 5, B: 4, C: 5},
        {A: 5, C: 9},
    ]
    assert [r.exhausted for r in rounds] == [0, 1, 1]
    assert [r.eliminated for r in rounds] == [D, B, None]
    assert rounds[0].transfers == {C: 2, 0: 1}
    assert rounds[1].transfers == {C: 4}
    assert rounds[-1].winner == C


def test_ranked_tie_for_last_looks_back_to_the_round_before():
    """Round 1: A 4, B 3, C 2, D 1: D goes, its ballot moves to C. Round 2: A 4, B 3, C 3:
    B and C tie for last; in round 1 C had fewer, so C goes (not B, though B is listed first).
    Its three ballots move to B: B 6 beats A 4."""
    rounds = count_ranked(
        [A, B, C, D],
        _ballots((4, [A]), (3, [B]), (2, [C, B]), (1, [D, C, B])),
    )
    assert [r.eliminated for r in rounds] == [D, C, None]
    assert rounds[1].votes == {A: 4, B: 3, C: 3}
    assert rounds[1].transfers == {B: 3}
    assert rounds[-1].votes == {A: 4, B: 6}
    assert rounds[-1].winner == B


def test_ranked_winner_in_the_first_round_has_one_round():
    rounds = count_ranked([A, B], _ballots((3, [A]), (1, [B])))
    assert len(rounds) == 1
    assert rounds[0].winner == A
    assert rounds[0].eliminated is None


def test_ranked_even_split_of_two_ends_with_the_one_listed_first():
    rounds = count_ranked([A, B], _ballots((2, [A]), (2, [B])))
    assert rounds[0].eliminated == B
    assert rounds[-1].winner == A


def test_ranked_with_no_ballots_has_no_winner():
    rounds = count_ranked([A, B], [])
    assert rounds[-1].winner is None


def test_proposal_counts_positions_and_keeps_reasons():
    result = count_proposal(
        [
            {"position": "agree", "reason": ""},
            {"position": "agree", "reason": "Fair"},
            {"position": "block", "reason": "Breaks our pay policy"},
            {"position": "abstain", "reason": ""},
        ]
    )
    assert result["counts"] == {"agree": 2, "abstain": 1, "disagree": 0, "block": 1}
    assert result["reasons"]["block"] == ["Breaks our pay policy"]
    assert result["reasons"]["agree"] == ["Fair"]
    assert result["blocked"] is True


def test_block_needs_a_reason():
    with pytest.raises(InvalidAnswer, match="block_needs_reason"):
        clean_answer("proposal", {"position": "block", "reason": "  "}, option_ids=[])
    assert clean_answer("proposal", {"position": "disagree"}, option_ids=[]) == {
        "position": "disagree",
        "reason": "",
    }


def test_single_and_multiple_choice_count_each_ballot_once_per_option():
    assert count_choices([A, B, C], [{"option": A}, {"option": A}, {"option": C}]) == {
        A: 2,
        B: 0,
        C: 1,
    }
    assert count_choices([A, B], [{"options": [A, B]}, {"options": [B]}]) == {A: 1, B: 2}
    assert clean_answer("multiple", {"options": [B, B, A]}, option_ids=[A, B]) == {
        "options": [A, B]
    }


def test_score_totals_and_means_count_a_left_out_option_as_zero():
    result = count_amounts([A, B], [{"scores": {"1": 5, "2": 1}}, {"scores": {"1": 3}}], "scores")
    assert result == {A: {"total": 8, "mean": 4.0}, B: {"total": 1, "mean": 0.5}}


@pytest.mark.parametrize("value", [-1, 6, "3", True, 2.5])
def test_score_outside_zero_to_max_is_refused(value):
    with pytest.raises(InvalidAnswer):
        clean_answer("score", {"scores": {"1": value}}, option_ids=[A], max_score=5)


def test_dot_vote_cannot_spread_more_dots_than_it_has():
    assert clean_answer("dot", {"dots": {"1": 3, "2": 2}}, option_ids=[A, B], dots=5) == {
        "dots": {"1": 3, "2": 2}
    }
    with pytest.raises(InvalidAnswer, match="too_many_dots"):
        clean_answer("dot", {"dots": {"1": 3, "2": 3}}, option_ids=[A, B], dots=5)
    totals = count_amounts([A, B], [{"dots": {"1": 3, "2": 2}}, {"dots": {"2": 5}}], "dots")
    assert {pk: t["total"] for pk, t in totals.items()} == {A: 3, B: 7}


def test_an_unknown_option_is_refused_for_every_kind():
    for kind, answer in [
        ("single", {"option": 9}),
        ("multiple", {"options": [9]}),
        ("score", {"scores": {"9": 1}}),
        ("dot", {"dots": {"9": 1}}),
        ("ranked", {"ranking": [9]}),
        ("time", {"slots": {"9": "yes"}}),
        ("single", {"option": "x"}),
    ]:
        with pytest.raises(InvalidAnswer, match="unknown_option"):
            clean_answer(kind, answer, option_ids=[A], max_score=3, dots=3)


def test_ranking_an_option_twice_is_refused():
    with pytest.raises(InvalidAnswer, match="ranked_twice"):
        clean_answer("ranked", {"ranking": [A, B, A]}, option_ids=[A, B])


def test_time_poll_winner_has_most_yes_then_most_if_need_be():
    result = count_time(
        [A, B, C],
        [
            {"slots": {"1": "yes", "2": "yes", "3": "no"}},
            {"slots": {"1": "maybe", "2": "yes", "3": "yes"}},
            {"slots": {"1": "yes", "2": "maybe", "3": "yes"}},
        ],
    )
    assert result["slots"][A] == {"yes": 2, "maybe": 1, "no": 0}
    # A and B have two yes each; A also has an if-need-be... and so does B: the earlier wins.
    assert result["winner"] == A
    tie_broken = count_time(
        [A, B], [{"slots": {"1": "yes", "2": "yes"}}, {"slots": {"1": "no", "2": "maybe"}}]
    )
    assert tie_broken["winner"] == B


def test_time_poll_where_nobody_can_has_no_winner():
    assert count_time([A], [{"slots": {"1": "no"}}])["winner"] is None
