"""The cast of the poll tests: a circle with a coordinator and two members, and polls opened
through `polls.services.poll_create`, as the pages and the API open them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polls.models import Poll
from polls.services import poll_create
from tests.circles.factories import CircleFactory, CircleMembershipFactory, CoordinatorFactory
from tests.factories import PersonFactory


@pytest.fixture
def circle(db):
    return CircleFactory(name="Pay fairness", slug="pay-fairness")


@pytest.fixture
def coordinator(circle, coop):
    person = PersonFactory(organisation=coop, display_name="Cora Coordinator")
    CoordinatorFactory(circle=circle, person=person)
    return person


@pytest.fixture
def author(circle, coop):
    person = PersonFactory(organisation=coop, display_name="Alba Author")
    CircleMembershipFactory(circle=circle, person=person)
    return person


@pytest.fixture
def voter(circle, coop):
    person = PersonFactory(
        organisation=coop, display_name="Vera Voter", user__email="vera@camplight.coop"
    )
    CircleMembershipFactory(circle=circle, person=person)
    return person


@pytest.fixture
def make_poll(author, circle):
    def make(kind: str = Poll.Kind.SINGLE, *, by=None, **kwargs) -> Poll:
        defaults = {
            "title": "Which pay model?",
            "circle": circle,
            "electorate": Poll.Electorate.CIRCLE,
            "closes_at": timezone.now() + dt.timedelta(days=3),
        }
        if kind not in (Poll.Kind.PROPOSAL, Poll.Kind.TIME):
            defaults["options"] = ["Equal pay", "Needs-based", "By hours"]
        defaults.update(kwargs)
        return poll_create(actor=(by or author).user, kind=kind, **defaults)

    return make


def option_ids(poll: Poll) -> list[int]:
    return list(poll.options.order_by("position").values_list("pk", flat=True))
