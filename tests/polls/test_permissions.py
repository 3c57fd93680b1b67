"""Who may do what with polls, through the pages and the API.

Each row is an action, each column a role (see tests/matrix.py for the cells). The poll is the
circle's, open to the circle's members: `voter` and `author` are members, `coordinator`
coordinates it, `outsider` is a person of the network outside the circle. Network admins have
no person of their own, so they do not vote; they close polls and record outcomes. Token roles
carry a token of `voter`: pages ignore tokens. Closing and the outcome act on the author's
poll; scheduling on a closed time poll."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from assemblies.models import Assembly
from members.models import Person
from polls import services
from polls.models import Ballot, Outcome, Poll, PollDelegation
from tests import matrix
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES
from tests.polls.conftest import option_ids

ROLES = (
    "visitor",
    "outsider",
    "voter",
    "author",
    "coordinator",
    "network_admin",
    *TOKEN_ROLES,
)

#                             visitor outsider voter author coord n-admin tok-r tok-w
MATRIX = {
    "page: read poll": (LOGIN, 200, 200, 200, 200, 200, LOGIN, LOGIN),
    "api: read poll": (401, 200, 200, 200, 200, 200, 200, 200),
    "page: vote": (LOGIN, 403, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: vote": (401, 403, 200, 200, 200, 403, 403, 200),
    "api: open a circle poll": (401, 403, 201, 201, 201, 403, 403, 201),
    "page: delegate": (LOGIN, 403, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: delegate": (401, 403, 201, 201, 201, 403, 403, 201),
    "page: close": (LOGIN, 403, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: close": (401, 403, 403, 200, 403, 200, 403, 403),
    "page: record outcome": (LOGIN, 403, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: record outcome": (401, 403, 403, 200, 403, 200, 403, 403),
    "page: schedule assembly": (LOGIN, 403, 403, SAVED, SAVED, SAVED, LOGIN, LOGIN),
}
READS = {"page: read poll", "api: read poll"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    open_poll: Poll
    closed_poll: Poll
    time_poll: Poll
    author: Person
    voter: Person

    def delegate_for(self, role: str) -> Person:
        """Whom a role gives its vote to: the author, or the voter for the author."""
        return self.voter if role == "author" else self.author


@pytest.fixture
def world(make_poll, author, voter, coordinator, outsider, network_admin) -> World:
    closed = make_poll("proposal", title="Closed proposal")
    services.poll_close(actor=author.user, poll=closed)
    start = dt.datetime(2027, 3, 4, 15, tzinfo=dt.UTC)
    time_poll = make_poll("time", title="When?", slots=[start, start + dt.timedelta(days=7)])
    services.vote_cast(
        actor=voter.user, poll=time_poll, answer={"slots": {str(option_ids(time_poll)[0]): "yes"}}
    )
    services.poll_close(actor=author.user, poll=time_poll)
    return World(
        open_poll=make_poll("single"),
        closed_poll=closed,
        time_poll=time_poll,
        author=author,
        voter=voter,
        users={
            "outsider": outsider.user,
            "voter": voter.user,
            "author": author.user,
            "coordinator": coordinator.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(created_by=network_admin, user=voter.user),
    )


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    poll, closed = world.open_poll, world.closed_poll
    match action:
        case "page: read poll":
            return matrix.outcome(page.get(poll.get_absolute_url()))
        case "api: read poll":
            return api.get(f"/api/v1/polls/{poll.pk}/").status_code
        case "page: vote":
            option = option_ids(poll)[0]
            return matrix.outcome(
                page.post(reverse("polls:vote", args=[poll.pk]), {"option": option})
            )
        case "api: vote":
            body = {"answer": {"option": option_ids(poll)[0]}}
            return api.post(f"/api/v1/polls/{poll.pk}/vote/", body, format="json").status_code
        case "api: open a circle poll":
            body = {
                "title": "Which day?",
                "kind": "single",
                "options": [{"label": "Monday"}, {"label": "Friday"}],
                "circle": poll.circle.slug,
                "electorate": "circle",
                "closes_at": "2030-01-15T18:00:00+01:00",
            }
            return api.post("/api/v1/polls/", body, format="json").status_code
        case "page: delegate":
            url = reverse("polls:delegate", args=[poll.pk])
            return matrix.outcome(page.post(url, {"delegate": world.delegate_for(role).pk}))
        case "api: delegate":
            body = {"delegate": {"id": world.delegate_for(role).pk}}
            url = f"/api/v1/polls/{poll.pk}/delegation/"
            return api.post(url, body, format="json").status_code
        case "page: close":
            return matrix.outcome(page.post(reverse("polls:close", args=[poll.pk])))
        case "api: close":
            return api.post(f"/api/v1/polls/{poll.pk}/close/").status_code
        case "page: record outcome":
            url = reverse("polls:outcome", args=[closed.pk])
            return matrix.outcome(page.post(url, {"statement": "Adopted."}))
        case "api: record outcome":
            body = {"statement": "Adopted.", "review_on": "2027-06-01"}
            return api.post(f"/api/v1/polls/{closed.pk}/outcome/", body, format="json").status_code
        case "page: schedule assembly":
            return matrix.outcome(page.post(reverse("polls:assembly", args=[world.time_poll.pk])))
    raise AssertionError(action)


def _snapshot() -> dict:
    return {
        "polls": list(Poll.objects.order_by("pk").values("pk", "closed_at", "assembly_id")),
        "ballots": list(Ballot.objects.order_by("pk").values("pk", "answer")),
        "delegations": list(PollDelegation.objects.order_by("pk").values()),
        "outcomes": list(Outcome.objects.order_by("pk").values()),
        "assemblies": list(Assembly.objects.order_by("pk").values("pk")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected
