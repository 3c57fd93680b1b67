"""Whatever happens, in whatever order, each currency's balance is the sum of its entries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fund import selectors, services
from fund.models import CurrencyBalance, LedgerEntry, PayoutClaim
from tests.fund.factories import contribute

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
currencies = st.sampled_from(["EUR", "USD"])
operations = st.lists(
    st.one_of(
        st.tuples(st.just("contribute"), amounts, currencies),
        st.tuples(
            st.just("claim_and_pay"),
            st.decimals(min_value=Decimal("0.25"), max_value=Decimal("80"), places=2),
            currencies,
        ),
        st.tuples(st.just("reverse_latest"), st.none(), st.none()),
    ),
    max_size=8,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_the_balance_equals_the_sum_of_entries_after_any_operations(
    ops, coop, coop_admin, approver, second_approver, make_claim
):
    for op, value, currency in ops:
        try:
            if op == "contribute":
                contribute(
                    recorder=coop_admin.user,
                    confirmer=approver.user,
                    organisation=coop,
                    amount=value,
                    currency=currency,
                    received_on=datetime.date(2024, 1, 1),
                )
            elif op == "claim_and_pay":
                claim = make_claim(hours=value, currency=currency)
                services.claim_approve(actor=approver.user, claim=claim)
                services.claim_approve(actor=second_approver.user, claim=claim)
                services.claim_pay(actor=approver.user, claim=claim)
            else:
                latest = (
                    LedgerEntry.objects.exclude(kind="correction")
                    .filter(reversed_by__isnull=True)
                    .first()
                )
                if latest is not None:
                    services.entry_reverse(actor=approver.user, entry=latest, reason="Test")
        except ValidationError:
            pass  # a refused payment (not enough money) must leave no trace
    sums = {
        row["currency"]: row["total"]
        for row in LedgerEntry.objects.values("currency").annotate(total=Sum("amount"))
    }
    rows = {b.currency: b.balance for b in CurrencyBalance.objects.all()}
    assert selectors.balances() == sums
    assert {c: v for c, v in rows.items() if c in sums} == sums
    for claim in PayoutClaim.objects.filter(status="paid"):
        assert claim.entry.amount == -claim.amount
    assert not PayoutClaim.objects.filter(status="paid", entry__isnull=True).exists()
