"""Factories for the fund."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from fund import services
from fund.models import HourlyRate, PayoutClaim
from members.models import Organisation, Person
from tests.assemblies.factories import DecisionFactory  # noqa: F401 - re-exported for fund tests


class HourlyRateFactory(DjangoModelFactory):
    class Meta:
        model = HourlyRate
        django_get_or_create = ["currency"]

    currency = "EUR"
    rate = Decimal("25.00")


def last_month() -> tuple[datetime.date, datetime.date]:
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def fund_activity(
    count: int,
    *,
    actor: User,
    organisation: Organisation,
    on: datetime.date,
    make_claim: Callable[..., PayoutClaim],
    approvers: Sequence[Person] = (),
) -> None:
    """`count` rounds of what the fund lists, for tests that count queries at two sizes: a
    contribution from `organisation` recorded by `actor`, a submitted claim and a monthly pledge;
    given `approvers`, also a claim they approve and `actor` pays, its claimant named publicly."""
    for _ in range(count):
        services.contribution_record(
            actor=actor, organisation=organisation, amount="100", currency="EUR", received_on=on
        )
        if approvers:
            paid = make_claim(hours="1", show_name_publicly=True)
            for approver in approvers:
                services.claim_approve(actor=approver.user, claim=paid)
            services.claim_pay(actor=actor, claim=paid)
        make_claim(hours="1")
        services.pledge_create(
            actor=actor,
            organisation=organisation,
            amount="5",
            currency="EUR",
            frequency="monthly",
            next_due_on=on,
        )
