"""Factories for the fund."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from fund import services
from fund.models import Contribution, HourlyRate, PayoutClaim
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


def contribute(*, recorder: User, confirmer: User, **kwargs: Any) -> Contribution:
    """A contribution as the fund counts it: recorded by one person, confirmed by another."""
    contribution = services.contribution_record(actor=recorder, **kwargs)
    services.contribution_confirm(actor=confirmer, contribution=contribution)
    contribution.refresh_from_db()
    return contribution


def fund_activity(
    count: int,
    *,
    actor: User,
    organisation: Organisation,
    on: datetime.date,
    make_claim: Callable[..., PayoutClaim],
    approvers: Sequence[Person] = (),
    confirmer: User | None = None,
) -> None:
    """`count` rounds of what the fund lists, for tests that count queries at two sizes: a
    contribution from `organisation` recorded by `actor` (confirmed by `confirmer`, else the last
    of `approvers`, else left pending), a submitted claim and a monthly pledge; given `approvers`,
    also a claim they approve and `actor` pays, its claimant named publicly."""
    confirmer = confirmer or (approvers[-1].user if approvers else None)
    for _ in range(count):
        contribution = services.contribution_record(
            actor=actor, organisation=organisation, amount="100", currency="EUR", received_on=on
        )
        if confirmer is not None:
            services.contribution_confirm(actor=confirmer, contribution=contribution)
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
