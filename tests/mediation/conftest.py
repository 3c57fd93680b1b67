"""The mediation cast on top of the fixed one: `member` (Mila) asks for help with a conflict
with `outsider` (Omar) and `coop_admin` (Ana). The Mediation circle has `colleague` (Ivan) and
Ana as its mediators, so Ana is a mediator who is involved. `network_admin` mediates nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from circles.models import CircleMembership
from mediation import services
from tests.circles.factories import CircleFactory, CircleMembershipFactory

LONG_AGO = datetime.date(2024, 1, 15)
SECRET = "Xylophone-quarrel"  # a word of the case's text, to look for wherever it must not be
HOPE = "Zebra-apology"


@pytest.fixture
def mediation_circle(colleague, coop_admin):
    circle = CircleFactory(name="Mediation", slug="mediation", handles_conflicts=True)
    CircleMembershipFactory(
        circle=circle, person=colleague, role=CircleMembership.Role.COORDINATOR, start_date=LONG_AGO
    )
    CircleMembershipFactory(circle=circle, person=coop_admin, start_date=LONG_AGO)
    return circle


@pytest.fixture
def open_case(mediation_circle, member):
    def _open(requester=None, involved=(), text=SECRET, hope=HOPE):
        return services.case_open(
            actor=(requester or member).user,
            involved=list(involved),
            what_happened=f"The {text} happened in our team.",
            hoped_for=f"An {hope} would help.",
        )

    return _open


@pytest.fixture
def case(open_case, outsider, coop_admin):
    return open_case(involved=[outsider, coop_admin])


def next_week() -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
