"""The circles' cast on top of the fixed one: `colleague` coordinates `circle` (Job
opportunities), `outsider` coordinates `other_circle` (Finance)."""

from __future__ import annotations

import datetime

import pytest

from circles.models import CircleMembership
from tests.circles.factories import CircleFactory, CircleMembershipFactory

LONG_AGO = datetime.date(2024, 1, 15)


@pytest.fixture
def circle(colleague):
    circle = CircleFactory(name="Job opportunities", slug="job-opportunities")
    CircleMembershipFactory(
        circle=circle,
        person=colleague,
        role=CircleMembership.Role.COORDINATOR,
        start_date=LONG_AGO,
    )
    return circle


@pytest.fixture
def other_circle(outsider):
    circle = CircleFactory(name="Finance", slug="finance")
    CircleMembershipFactory(
        circle=circle,
        person=outsider,
        role=CircleMembership.Role.COORDINATOR,
        start_date=LONG_AGO,
    )
    return circle


@pytest.fixture
def coordinator(circle, colleague):
    """The person who coordinates `circle`."""
    return colleague
