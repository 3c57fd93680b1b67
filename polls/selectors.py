"""Reads shared by the poll pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.crypto import salted_hmac

from assemblies.delegation import counted
from circles.models import CircleMembership
from members.models import Person
from members.permissions import person_of
from polls import counting
from polls.models import Ballot, Outcome, Poll, PollDelegation, PollOption
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
    given: dict[int, list[tuple[int, int]]] = {p.pk: [] for p in polls}
    live = PollDelegation.objects.filter(poll_id__in=list(by_poll), revoked_at__isnull=True)
    for poll_id, delegator_id, delegate_id in live.values_list(
        "poll_id", "delegator_id", "delegate_id"
    ):
        given[poll_id].append((delegator_id, delegate_id))
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
        poll.page_delegations = given[poll.pk]  # type: ignore[attr-defined]
        key: Any = poll.circle_id if poll.electorate == Poll.Electorate.CIRCLE else poll.electorate
        poll.page_eligible = sizes.get(key, 0)  # type: ignore[attr-defined]
    return polls


def _ballots(poll: Poll) -> dict[str, Any]:
    cached = getattr(poll, "page_ballots", None)
    if cached is None:
        cached = dict(Ballot.objects.filter(poll=poll).values_list("voter_key", "answer"))
        poll.page_ballots = cached  # type: ignore[attr-defined]
    return cached


def _delegations(poll: Poll) -> list[tuple[int, int]]:
    """The poll's live delegations, (delegator id, delegate id)."""
    cached = getattr(poll, "page_delegations", None)
    if cached is None:
        live = PollDelegation.objects.filter(poll=poll, revoked_at__isnull=True)
        cached = list(live.values_list("delegator_id", "delegate_id"))
        poll.page_delegations = cached  # type: ignore[attr-defined]
    return cached


def delegated_answers(poll: Poll) -> list[dict[str, Any]]:
    """The answers counted once more, one per delegation that counts: its delegate voted and
    its delegator did not (a delegator's own ballot overrides; `assemblies.delegation`)."""
    ballots = _ballots(poll)
    pairs = _delegations(poll)
    keys = {pk: voter_key(poll.pk, pk) for pair in pairs for pk in pair}
    voted = [pk for pk, key in keys.items() if key in ballots]
    counting_now, _overridden = counted(
        ((delegate_id, delegator_id, delegate_id) for delegator_id, delegate_id in pairs),
        present=voted,
    )
    return [ballots[keys[delegate_id]] for delegate_id in counting_now]


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
    people = (
        eligible_voters(poll)
        .filter(user__isnull=False)
        .exclude(pk__in=[delegator for delegator, _delegate in _delegations(poll)])
        .select_related("user")
        .order_by("pk")
    )
    return [p for p in people if voter_key(poll.pk, p.pk) not in cast]


@dataclass
class Turnout:
    voted: int  # ballots, and the delegated votes that count
    eligible: int
    quorum: int
    delegated: int = 0

    @property
    def reached(self) -> bool:
        return self.voted >= self.quorum


def turnout(poll: Poll) -> Turnout:
    delegated = len(delegated_answers(poll))
    voted = len(_ballots(poll)) + delegated
    eligible = getattr(poll, "page_eligible", None)
    if eligible is None:
        eligible = eligible_voters(poll).count()
    return Turnout(voted=voted, eligible=eligible, quorum=poll.quorum, delegated=delegated)


def results(poll: Poll, user: AnyUser | None) -> dict[str, Any] | None:
    """The count, or None while it is hidden from this reader. Ballots carry no names here."""
    if not can_see_results(user, poll):
        return None
    options = list(poll.options.all())
    ids = [o.pk for o in options]
    delegated = delegated_answers(poll)
    answers = [*_ballots(poll).values(), *delegated]
    out: dict[str, Any] = {
        "kind": poll.kind,
        "ballots": len(answers) - len(delegated),
        "delegated": len(delegated),
    }
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


def delegations_shown(poll: Poll, user: AnyUser | None) -> list[PollDelegation]:
    """Who gave their vote to whom: to those who see the results of a poll that names its
    voters (never an anonymous one, which takes no delegations)."""
    if poll.anonymous or not can_see_results(user, poll):
        return []
    live = PollDelegation.objects.filter(poll=poll, revoked_at__isnull=True)
    return list(live.select_related("delegator", "delegate").order_by("delegator__display_name"))


def own_delegation(poll: Poll, user: AnyUser | None) -> PollDelegation | None:
    person = person_of(user)
    if person is None:
        return None
    live = PollDelegation.objects.filter(poll=poll, revoked_at__isnull=True, delegator=person)
    return live.select_related("delegate").first()


def carried(poll: Poll, user: AnyUser | None) -> list[PollDelegation]:
    """The votes the reader carries in this poll."""
    person = person_of(user)
    if person is None:
        return []
    live = PollDelegation.objects.filter(poll=poll, revoked_at__isnull=True, delegate=person)
    return list(live.select_related("delegator"))


def delegate_choices(poll: Poll, user: AnyUser | None) -> QuerySet[Person]:
    """Whom the page offers to carry the reader's vote: the poll's voters the reader works with
    (their co-op and their circles), by name. A list of the whole network would be 2,000 names;
    the API takes any voter."""
    person = person_of(user)
    if person is None:
        return Person.objects.none()
    circles = CircleMembership.objects.current().filter(person=person).values("circle_id")
    near = CircleMembership.objects.current().filter(circle_id__in=circles).values("person_id")
    return (
        eligible_voters(poll)
        .filter(user__isnull=False)
        .filter(Q(organisation_id=person.organisation_id) | Q(pk__in=near))
        .exclude(pk=person.pk)
        .order_by("display_name", "pk")
    )


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
