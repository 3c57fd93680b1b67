"""The discussions' cast on top of the fixed one: `circle` (Finance) has `member` and the
author `coop_admin` as members and `colleague` as its moderator; `outsider` is a member of the
network outside the circle."""

from __future__ import annotations

import datetime

import pytest

from circles.models import CircleMembership
from discussions import services
from tests.circles.factories import CircleFactory, CircleMembershipFactory

LONG_AGO = datetime.date(2024, 1, 15)


@pytest.fixture
def circle(member, colleague, coop_admin):
    circle = CircleFactory(name="Finance", slug="finance")
    for person, role in (
        (member, CircleMembership.Role.MEMBER),
        (coop_admin, CircleMembership.Role.MEMBER),
        (colleague, CircleMembership.Role.MODERATOR),
    ):
        CircleMembershipFactory(circle=circle, person=person, role=role, start_date=LONG_AGO)
    return circle


@pytest.fixture
def author(coop_admin):
    return coop_admin


@pytest.fixture
def start():
    def _start(person, *, visibility="network", body="Do we have equal salaries?", **subject):
        return services.thread_start(
            actor=person.user, title="Equal pay", body=body, visibility=visibility, **subject
        )

    return _start
