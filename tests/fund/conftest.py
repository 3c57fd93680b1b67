"""The fund's cast: a finance circle with three approvers, a work circle Mila belongs to, and
hourly rates in euros and dollars."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from circles.models import CircleMembership
from fund import services
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.fund.factories import HourlyRateFactory, contribute, last_month

SINCE = datetime.date(2024, 1, 1)


@pytest.fixture
def finance_circle(db):
    return CircleFactory(name="Finance", slug="finance")


@pytest.fixture
def work_circle(db):
    return CircleFactory(name="Communications", slug="communications")


def _finance_person(circle, org, name, email):
    person = PersonFactory(organisation=org, display_name=name, user__email=email)
    CircleMembershipFactory(circle=circle, person=person, start_date=SINCE)
    return person


@pytest.fixture
def approver(finance_circle, other_coop):
    return _finance_person(finance_circle, other_coop, "Fatima Finance", "fatima@facttic.coop")


@pytest.fixture
def second_approver(finance_circle, other_coop):
    return _finance_person(finance_circle, other_coop, "Felix Finance", "felix@facttic.coop")


@pytest.fixture
def third_approver(finance_circle, other_coop):
    return _finance_person(finance_circle, other_coop, "Flora Finance", "flora@facttic.coop")


@pytest.fixture
def claimant(member, work_circle):
    """Mila, a member of the communications circle."""
    CircleMembershipFactory(
        circle=work_circle, person=member, role=CircleMembership.Role.MEMBER, start_date=SINCE
    )
    return member


@pytest.fixture
def rates(db):
    return [
        HourlyRateFactory(currency="EUR", rate=Decimal("25.00")),
        HourlyRateFactory(currency="USD", rate=Decimal("30.00")),
    ]


@pytest.fixture
def funded(coop, coop_admin, approver):
    """The fund holds 1,000.00 EUR, contributed by Camplight (its admin recorded it, Fatima of
    the finance circle confirmed it)."""
    contribute(
        recorder=coop_admin.user,
        confirmer=approver.user,
        organisation=coop,
        amount=Decimal("1000.00"),
        currency="EUR",
        received_on=SINCE,
    )
    return coop


@pytest.fixture
def make_claim(claimant, work_circle, rates):
    def _make(hours="10", currency="EUR", submit=True, person=None, **kwargs):
        start, end = last_month()
        return services.claim_create(
            actor=(person or claimant).user,
            circle=work_circle,
            period_start=start,
            period_end=end,
            hours=Decimal(hours),
            description="Newsletter and social posts.",
            currency=currency,
            submit=submit,
            **kwargs,
        )

    return _make


@pytest.fixture
def approved_claim(make_claim, approver, second_approver):
    claim = make_claim()
    services.claim_approve(actor=approver.user, claim=claim)
    services.claim_approve(actor=second_approver.user, claim=claim)
    claim.refresh_from_db()
    return claim
