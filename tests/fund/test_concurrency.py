"""Two people pressing "pay" at the same moment: the money goes out once.

Real threads with their own database connections (transaction=True tests): the row locks are
what is tested, so nothing may run inside one shared test transaction.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from fund import selectors, services
from fund.models import LedgerEntry, PayoutClaim
from tests.fund.conftest import SINCE
from tests.fund.factories import contribute

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except (ValidationError, PermissionDenied) as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_payments_of_the_same_claim_at_once_pay_it_once(
    approved_claim, approver, second_approver, funded
):
    results = race(
        lambda: services.claim_pay(actor=approver.user, claim=approved_claim),
        lambda: services.claim_pay(actor=second_approver.user, claim=approved_claim),
    )
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert selectors.balances() == {"EUR": Decimal("750.00")}


def test_two_claims_that_each_fit_but_not_together_are_not_both_paid(
    make_claim, approver, second_approver, coop, coop_admin
):
    contribute(
        recorder=coop_admin.user,
        confirmer=approver.user,
        organisation=coop,
        amount="300",
        currency="EUR",
        received_on=SINCE,
    )
    claims = []
    for _ in range(2):
        claim = make_claim(hours="10")  # 250.00 EUR each: the fund holds 300.00
        services.claim_approve(actor=approver.user, claim=claim)
        services.claim_approve(actor=second_approver.user, claim=claim)
        claims.append(claim)
    results = race(
        lambda: services.claim_pay(actor=approver.user, claim=claims[0]),
        lambda: services.claim_pay(actor=second_approver.user, claim=claims[1]),
    )
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1
    assert selectors.balances() == {"EUR": Decimal("50.00")}
    assert PayoutClaim.objects.filter(status="paid").count() == 1


def test_two_approvals_at_once_are_both_counted(make_claim, approver, second_approver):
    claim = make_claim()
    results = race(
        lambda: services.claim_approve(actor=approver.user, claim=claim),
        lambda: services.claim_approve(actor=second_approver.user, claim=claim),
    )
    assert all(isinstance(r, PayoutClaim) for r in results)
    claim.refresh_from_db()
    assert claim.status == PayoutClaim.Status.APPROVED
    assert claim.approvals.count() == 2


def test_the_same_approver_twice_at_once_counts_once(make_claim, approver):
    claim = make_claim()
    results = race(
        lambda: services.claim_approve(actor=approver.user, claim=claim),
        lambda: services.claim_approve(actor=approver.user, claim=claim),
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert claim.approvals.count() == 1
