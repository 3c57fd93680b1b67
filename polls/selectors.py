"""Reads shared by the poll pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.crypto import salted_hmac

from circles.models import CircleMembership
from members.models import Person
from members.permissions import person_of
from polls import counting
from polls.models import Ballot, Outcome, Poll, PollOption
from polls.permissions import can_see_results, can_view_polls

if TYPE_CHECKING:
    from accounts.models import AnyUser
    from assemblies.hooks import AgendaProposal
    from assemblies.models import Assembly


def voter_key(poll_id: int, person_id: int) -> str:
    """The only link from a person to their ballot: a keyed hash nobody can reverse without the
    site's secret (see polls.models)."""
    return salted_hmac("polls.ballot", f"{poll_id}:{person_id}", algorithm="sha256").hexdigest()


def poll_list(user: AnyUser | None) -> QuerySet[Poll]:
    if not can_view_polls(user):
        return Poll.objects.none()
    return (
        Poll.objects.select_related("circle", "author", "outcome")
        .annotate(ballot_count=Count("ballots", distinct=True))
        .order_by("-created_at", "-id")
    )


def poll_detail(user: AnyUser | None) -> QuerySet[Poll]:
    return poll_list(user).prefetch_related(
        Prefetch("options", queryset=PollOption.objects.order_by("position", "starts_at", "id"))
    )


def _roster() -> QuerySet[Person]:
    return Person.objects.filter(Q(user__isnull=True) | Q(user__is_active=True))


def eligible_voters(poll: Poll) -> QuerySet[Person]:
    """The poll's electorate, the roster its turnout and quorum count: as for assemblies, every
    person in it with or without an account (but not a deactivated account). Only those with an
    account can vote here, and only they are reminded."""
    people = _roster()
    if poll.electorate == Poll.Electorate.CIRCLE:
        members = CircleMembership.objects.current().filter(circle=poll.circle)
        return people.filter(pk__in=members.values("person_id"))
    if poll.electorate == Poll.Electorate.ACTIVE:
        return people.filter(participation=Person.Participation.ACTIVE)
    return people


def with_counts(polls: list[Poll]) -> list[Poll]:
    """Read the ballots and electorate sizes of a page of polls in a fixed number of queries,
    so `turnout`, `results` and `own_answer` ask nothing more per poll."""
    by_poll: dict[int, dict[str, Any]] = {p.pk: {} for p in polls}
    rows = Ballot.objects.filter(poll_id__in=list(by_poll)).values_list(
        "poll_id", "voter_key", "answer"
    )
    for poll_id, ballot_key, answer in rows:
        by_poll[poll_id][ballot_key] = answer
    sizes: dict[Any, int] = {}
    people = _roster()
    kinds = {p.electorate for p in polls}
    if Poll.Electorate.ALL in kinds:
        sizes["all"] = people.count()
    if Poll.Electorate.ACTIVE in kinds:
        sizes["active"] = people.filter(participation=Person.Participation.ACTIVE).count()
    circles = {p.circle_id for p in polls if p.electorate == Poll.Electorate.CIRCLE and p.circle_id}
    if circles:
        counted = (
            CircleMembership.objects.current()
            .filter(circle_id__in=circles, person__in=people)
            .values("circle_id")
            .annotate(n=Count("person_id", distinct=True))
        )
        sizes.update({row["circle_id"]: row["n"] for row in counted})
    for poll in polls:
        poll.page_ballots = by_poll[poll.pk]  # type: ignore[attr-defined]
        key: Any = poll.circle_id if poll.electorate == Poll.Electorate.CIRCLE else poll.electorate
        poll.page_eligible = sizes.get(key, 0)  # type: ignore[attr-defined]
    return polls


def _ballots(poll: Poll) -> dict[str, Any]:
    cached = getattr(poll, "page_ballots", None)
    if cached is None:
        cached = dict(Ballot.objects.filter(poll=poll).values_list("voter_key", "answer"))
        poll.page_ballots = cached  # type: ignore[attr-defined]
    return cached


def own_answer(poll: Poll, user: AnyUser | None) -> dict[str, Any] | None:
    """The reader's own answer (never anybody else's), None if they have not voted."""
    person = person_of(user)
    if person is None:
        return None
    return _ballots(poll).get(voter_key(poll.pk, person.pk))


def own_ballot(poll: Poll, user: AnyUser | None) -> Ballot | None:
    person = person_of(user)
    if person is None:
        return None
    return Ballot.objects.filter(poll=poll, voter_key=voter_key(poll.pk, person.pk)).first()


def non_voters(poll: Poll) -> list[Person]:
    """Eligible people who have not voted (for reminders): keys compared in Python, since an
    anonymous poll's ballots name nobody."""
    cast = set(Ballot.objects.filter(poll=poll).values_list("voter_key", flat=True))
    people = eligible_voters(poll).filter(user__isnull=False).select_related("user").order_by("pk")
    return [p for p in people if voter_key(poll.pk, p.pk) not in cast]


@dataclass
class Turnout:
    voted: int
    eligible: int
    quorum: int

    @property
    def reached(self) -> bool:
        return self.voted >= self.quorum


def turnout(poll: Poll) -> Turnout:
    voted = len(_ballots(poll))
    eligible = getattr(poll, "page_eligible", None)
    if eligible is None:
        eligible = eligible_voters(poll).count()
    return Turnout(voted=voted, eligible=eligible, quorum=poll.quorum)


def results(poll: Poll, user: AnyUser | None) -> dict[str, Any] | None:
    """The count, or None while it is hidden from this reader. Ballots carry no names here."""
    if not can_see_results(user, poll):
        return None
    options = list(poll.options.all())
    ids = [o.pk for o in options]
    answers = list(_ballots(poll).values())
    out: dict[str, Any] = {"kind": poll.kind, "ballots": len(answers)}
    if poll.kind == Poll.Kind.PROPOSAL:
        out.update(counting.count_proposal(answers))
    elif poll.kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE):
        out["options"] = counting.count_choices(ids, answers)
    elif poll.kind == Poll.Kind.SCORE:
        out["options"] = counting.count_amounts(ids, answers, "scores")
    elif poll.kind == Poll.Kind.DOT:
        out["options"] = counting.count_amounts(ids, answers, "dots")
    elif poll.kind == Poll.Kind.RANKED:
        rounds = counting.count_ranked(ids, answers)
        out["rounds"] = rounds
        out["winner"] = rounds[-1].winner if rounds else None
    elif poll.kind == Poll.Kind.TIME:
        out.update(counting.count_time(ids, answers))
    return out


def named_answers(poll: Poll, user: AnyUser | None) -> list[tuple[Person, dict[str, Any]]]:
    """Who answered what, for a poll that is not anonymous and whose results the reader sees."""
    if poll.anonymous or not can_see_results(user, poll):
        return []
    ballots = Ballot.objects.filter(poll=poll, voter__isnull=False).select_related("voter")
    return [(b.voter, b.answer) for b in ballots.order_by("voter__display_name", "pk") if b.voter]


def agenda_outcomes(assembly: Assembly) -> list[AgendaProposal]:
    """The agenda source: outcomes their authors put on this assembly's agenda."""
    from assemblies.hooks import AgendaProposal

    outcomes = Outcome.objects.filter(agenda_assembly=assembly).select_related("poll")
    return [
        AgendaProposal(
            key=f"outcome-{o.pk}",
            title=o.poll.title,
            description=o.statement,
            proposer_id=o.recorded_by_id,
        )
        for o in outcomes.order_by("pk")
    ]
