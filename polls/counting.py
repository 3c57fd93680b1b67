"""Counting, one pure function per kind of poll: plain data in (option ids and the answers as
stored on ballots), plain data out. No database, no clock, so every rule is tested on its own.

An answer is the JSON a ballot stores (`polls.models.Ballot.answer`):

- proposal: ``{"position": "agree" | "abstain" | "disagree" | "block", "reason": "..."}``
- single: ``{"option": id}``; multiple: ``{"options": [id, ...]}``
- score: ``{"scores": {"id": n}}`` (0 to max per option; an option left out scores nothing)
- ranked: ``{"ranking": [id, ...]}`` (most preferred first; a voter may rank only some)
- dot: ``{"dots": {"id": n}}`` (at most the poll's number of dots in all)
- time: ``{"slots": {"id": "yes" | "maybe" | "no"}}``

JSON keys are strings, so every function reads option ids through `int()`.

**Ranked choice** is counted by instant runoff. Each round counts every ballot for its highest
ranked option still in the running; a ballot with none left is *exhausted*. An option holding
more than half of the ballots still counting wins. Otherwise the option with the fewest votes is
eliminated and its ballots move to their next choice (the round records where they went).
**Tie-break** when several options share the fewest votes: the one that had fewer votes in the
round before, looking back round by round to the first; still tied, the one listed last on the
poll is eliminated. When only two are left with equal votes the same rule eliminates one, so a
count always ends with a winner unless nobody ranked anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Answer = Mapping[str, Any]

POSITIONS = ("agree", "abstain", "disagree", "block")
AVAILABILITY = ("yes", "maybe", "no")


class InvalidAnswer(ValueError):
    """An answer that breaks the poll's rules (the services turn it into a form error)."""


# Checking one answer ---------------------------------------------------------------------------
def clean_answer(
    kind: str,
    answer: Answer,
    *,
    option_ids: Sequence[int],
    max_score: int = 0,
    dots: int = 0,
) -> dict[str, Any]:
    """The answer as it is stored, or InvalidAnswer with a code saying what is wrong."""
    known = set(option_ids)

    def option(value: Any) -> int:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise InvalidAnswer("unknown_option") from None
        if pk not in known:
            raise InvalidAnswer("unknown_option")
        return pk

    def amounts(values: Any, top: int) -> dict[str, int]:
        if not isinstance(values, Mapping):
            raise InvalidAnswer("invalid")
        out: dict[str, int] = {}
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
                raise InvalidAnswer("out_of_range")
            if value:
                out[str(option(key))] = value
        return out

    if kind == "proposal":
        position = answer.get("position")
        reason = str(answer.get("reason") or "").strip()
        if position not in POSITIONS:
            raise InvalidAnswer("invalid")
        if position == "block" and not reason:
            raise InvalidAnswer("block_needs_reason")
        return {"position": position, "reason": reason}
    if kind == "single":
        return {"option": option(answer.get("option"))}
    if kind == "multiple":
        chosen = answer.get("options")
        if not isinstance(chosen, list) or not chosen:
            raise InvalidAnswer("invalid")
        return {"options": sorted({option(v) for v in chosen})}
    if kind == "score":
        return {"scores": amounts(answer.get("scores"), max_score)}
    if kind == "dot":
        spread = amounts(answer.get("dots"), dots)
        if sum(spread.values()) > dots:
            raise InvalidAnswer("too_many_dots")
        if not spread:
            raise InvalidAnswer("invalid")
        return {"dots": spread}
    if kind == "ranked":
        ranking = answer.get("ranking")
        if not isinstance(ranking, list) or not ranking:
            raise InvalidAnswer("invalid")
        ids = [option(v) for v in ranking]
        if len(set(ids)) != len(ids):
            raise InvalidAnswer("ranked_twice")
        return {"ranking": ids}
    if kind == "time":
        slots = answer.get("slots")
        if not isinstance(slots, Mapping) or not slots:
            raise InvalidAnswer("invalid")
        out = {}
        for key, value in slots.items():
            if value not in AVAILABILITY:
                raise InvalidAnswer("invalid")
            out[str(option(key))] = value
        return {"slots": out}
    raise InvalidAnswer("invalid")


# Counting --------------------------------------------------------------------------------------
def count_proposal(answers: Iterable[Answer]) -> dict[str, Any]:
    """Votes per position, and the reasons given under each (in the order the ballots came)."""
    counts = dict.fromkeys(POSITIONS, 0)
    reasons: dict[str, list[str]] = {p: [] for p in POSITIONS}
    for answer in answers:
        position = answer["position"]
        counts[position] += 1
        if answer.get("reason"):
            reasons[position].append(answer["reason"])
    return {"counts": counts, "reasons": reasons, "blocked": counts["block"] > 0}


def count_choices(option_ids: Sequence[int], answers: Iterable[Answer]) -> dict[int, int]:
    """Single and multiple choice: how many ballots chose each option."""
    counts = dict.fromkeys(option_ids, 0)
    for answer in answers:
        chosen = answer["options"] if "options" in answer else [answer["option"]]
        for pk in chosen:
            if int(pk) in counts:
                counts[int(pk)] += 1
    return counts


def count_amounts(
    option_ids: Sequence[int], answers: Iterable[Answer], key: str
) -> dict[int, dict[str, float]]:
    """Score ("scores") and dot ("dots") polls: each option's total, and for scores the mean
    over the ballots cast (an option a voter left out counts as 0)."""
    totals = dict.fromkeys(option_ids, 0)
    ballots = 0
    for answer in answers:
        ballots += 1
        for pk, value in answer[key].items():
            if int(pk) in totals:
                totals[int(pk)] += int(value)
    return {
        pk: {"total": total, "mean": round(total / ballots, 2) if ballots else 0.0}
        for pk, total in totals.items()
    }


@dataclass
class Round:
    number: int
    votes: dict[int, int]
    exhausted: int
    eliminated: int | None = None
    transfers: dict[int, int] = field(default_factory=dict)  # to option id; exhausted is 0
    winner: int | None = None


def count_ranked(option_ids: Sequence[int], answers: Iterable[Answer]) -> list[Round]:
    """Instant runoff, every round kept (see the module docstring for the rules)."""
    order = list(option_ids)
    rankings = [[int(pk) for pk in a["ranking"] if int(pk) in order] for a in answers]
    running = list(order)
    rounds: list[Round] = []

    def top(ranking: list[int]) -> int | None:
        return next((pk for pk in ranking if pk in running), None)

    while running:
        votes = dict.fromkeys(running, 0)
        exhausted = 0
        for ranking in rankings:
            choice = top(ranking)
            if choice is None:
                exhausted += 1
            else:
                votes[choice] += 1
        current = Round(number=len(rounds) + 1, votes=votes, exhausted=exhausted)
        rounds.append(current)
        counting = sum(votes.values())
        if counting == 0:
            return rounds
        leader = max(running, key=lambda pk: votes[pk])
        if votes[leader] * 2 > counting or len(running) == 1:
            current.winner = leader
            return rounds
        fewest = min(votes.values())
        tied = [pk for pk in running if votes[pk] == fewest]
        for earlier in reversed(rounds[:-1]):
            if len(tied) == 1:
                break
            low = min(earlier.votes[pk] for pk in tied)
            tied = [pk for pk in tied if earlier.votes[pk] == low]
        loser = tied[-1]  # still tied: the one listed last on the poll
        current.eliminated = loser
        running.remove(loser)
        transfers: dict[int, int] = {}
        for ranking in rankings:
            before = next((pk for pk in ranking if pk in running or pk == loser), None)
            if before != loser:
                continue
            after = top(ranking)
            target = after if after is not None else 0
            transfers[target] = transfers.get(target, 0) + 1
        current.transfers = transfers
    return rounds


def count_time(slot_ids: Sequence[int], answers: Iterable[Answer]) -> dict[str, Any]:
    """Yes, if-need-be and no per slot. The winner has the most yes, then the most if-need-be;
    still tied, the earlier slot in the poll's order (slots are listed by start time)."""
    tally = {pk: dict.fromkeys(AVAILABILITY, 0) for pk in slot_ids}
    for answer in answers:
        for pk, value in answer["slots"].items():
            if int(pk) in tally:
                tally[int(pk)][value] += 1
    winner = None
    best: tuple[int, int] | None = None
    for pk in slot_ids:
        key = (tally[pk]["yes"], tally[pk]["maybe"])
        if key > (0, 0) and (best is None or key > best):
            best, winner = key, pk
    return {"slots": tally, "winner": winner}
