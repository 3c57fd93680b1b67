"""The fund API as partner tools use it: money POSTs are idempotent, bad input is a problem JSON
that changes nothing, lists are scoped and cost a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fund import selectors, services
from fund.models import Contribution, LedgerEntry, PayoutClaim
from tests.api_helpers import assert_problem, documented_paths
from tests.fund.conftest import SINCE
from tests.fund.factories import DecisionFactory, fund_activity, last_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_coop_admin(api_client, coop_admin):
    api_client.force_login(coop_admin.user)
    return api_client


def contribution_body(coop, amount="120.00"):
    return {
        "organisation": coop.slug,
        "amount": amount,
        "currency": "EUR",
        "received_on": SINCE.isoformat(),
        "method": "bank",
    }


# Contributions and idempotency -----------------------------------------------------------------
def test_a_coop_admin_records_a_contribution_and_amounts_come_back_as_strings(as_coop_admin, coop):
    response = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "120.00"
    assert response.json()["status"] == "pending"
    assert selectors.balances() == {}, "nothing counts before a finance approver confirms"


def test_a_finance_approver_confirms_a_contribution_once_and_only_then_it_counts(
    api_client, as_coop_admin, coop, approver, coop_admin
):
    pk = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop), format="json"
    ).json()["id"]
    refused = as_coop_admin.post(f"/api/v1/fund/contributions/{pk}/confirm/", {}, format="json")
    assert refused.status_code == 403
    api_client.force_login(approver.user)
    headers = {"Idempotency-Key": "confirm-1"}
    url = f"/api/v1/fund/contributions/{pk}/confirm/"
    first = api_client.post(url, {}, format="json", headers=headers)
    again = api_client.post(url, {}, format="json", headers=headers)
    assert first.status_code == again.status_code == 200, first.content
    assert first.json()["status"] == "confirmed" and first.json()["ledger_entry"]
    assert selectors.balances() == {"EUR": Decimal("120.00")}
    late = api_client.post(url, {}, format="json")
    assert late.status_code == 400 and late["Content-Type"].startswith("application/problem+json")
    assert LedgerEntry.objects.count() == 1


def test_a_contribution_over_the_ceiling_is_a_400_problem_and_records_nothing(as_coop_admin, coop):
    response = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop, "99999999999.00"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "amount" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_repeated_idempotency_key_returns_the_first_contribution_and_records_nothing_more(
    as_coop_admin, coop
):
    headers = {"Idempotency-Key": "bank-import-2024-01-17-0001"}
    first = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop), format="json", headers=headers
    )
    second = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop), format="json", headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Contribution.objects.count() == 1


def test_a_new_key_records_a_new_contribution(as_coop_admin, coop):
    for key in ["a", "b"]:
        as_coop_admin.post(
            "/api/v1/fund/contributions/",
            contribution_body(coop),
            format="json",
            headers={"Idempotency-Key": key},
        )
    assert Contribution.objects.count() == 2


def test_the_same_key_with_another_body_is_a_422_problem(as_coop_admin, coop):
    headers = {"Idempotency-Key": "k1"}
    as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop), format="json", headers=headers
    )
    response = as_coop_admin.post(
        "/api/v1/fund/contributions/",
        contribution_body(coop, "99.00"),
        format="json",
        headers=headers,
    )
    assert_problem(response, 422)
    assert Contribution.objects.count() == 1


def test_a_key_whose_first_request_failed_can_be_used_again(as_coop_admin, coop):
    headers = {"Idempotency-Key": "k2"}
    bad = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop, "-1"), format="json", headers=headers
    )
    assert_problem(bad, 400)
    good = as_coop_admin.post(
        "/api/v1/fund/contributions/",
        contribution_body(coop, "-1") | {"amount": "5.00"},
        format="json",
        headers={"Idempotency-Key": "k2"},
    )
    assert good.status_code == 201


def test_keys_are_per_caller(api_client, coop, coop_admin, approver):
    for user in [coop_admin.user, approver.user]:
        api_client.force_login(user)
        api_client.post(
            "/api/v1/fund/contributions/",
            contribution_body(coop),
            format="json",
            headers={"Idempotency-Key": "same"},
        )
    assert Contribution.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "1.001"}, "amount"),
        ({"amount": 0}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"organisation": "nope"}, "organisation"),
        ({"received_on": "2024-13-01"}, "received_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_contributions_are_validation_problems_that_record_nothing(
    as_coop_admin, coop, change, field
):
    response = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(coop) | change, format="json"
    )
    assert field in assert_problem(response, 400)["errors"]
    assert not LedgerEntry.objects.exists()


def test_another_coops_contribution_is_forbidden(as_coop_admin, other_coop):
    response = as_coop_admin.post(
        "/api/v1/fund/contributions/", contribution_body(other_coop), format="json"
    )
    assert_problem(response, 403)
    assert not LedgerEntry.objects.exists()


# Claims ----------------------------------------------------------------------------------------
def test_a_claim_goes_from_submission_through_two_approvals_to_payment(
    api_client, claimant, work_circle, rates, approver, second_approver, funded
):
    start, end = last_month()
    api_client.force_login(claimant.user)
    created = api_client.post(
        "/api/v1/fund/claims/",
        {
            "circle": work_circle.slug,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "hours": "4.50",
            "description": "Minutes",
            "currency": "EUR",
            "submit": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    claim_id = created.json()["id"]
    assert created.json()["amount"] == "112.50"
    for person in [approver, second_approver]:
        api_client.force_login(person.user)
        response = api_client.post(f"/api/v1/fund/claims/{claim_id}/approve/", {}, format="json")
        assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    headers = {"Idempotency-Key": "pay-1"}
    paid = api_client.post(
        f"/api/v1/fund/claims/{claim_id}/pay/", {}, format="json", headers=headers
    )
    again = api_client.post(
        f"/api/v1/fund/claims/{claim_id}/pay/", {}, format="json", headers=headers
    )
    assert paid.status_code == again.status_code == 200
    assert paid.json() == again.json() and paid.json()["status"] == "paid"
    assert selectors.balances() == {"EUR": Decimal("887.50")}
    ledger = api_client.get("/api/v1/fund/ledger/", {"kind": "payout"}).json()["results"]
    assert [e["amount"] for e in ledger] == ["-112.50"]


def test_paying_twice_without_a_key_is_a_problem_the_second_time(
    api_client, approved_claim, approver, funded
):
    api_client.force_login(approver.user)
    url = f"/api/v1/fund/claims/{approved_claim.pk}/pay/"
    assert api_client.post(url, {}, format="json").status_code == 200
    assert_problem(api_client.post(url, {}, format="json"), 400)
    assert LedgerEntry.objects.filter(kind="payout").count() == 1


def test_the_claimant_cannot_approve_their_own_claim_through_the_api(
    api_client, make_claim, claimant
):
    claim = make_claim()
    api_client.force_login(claimant.user)
    response = api_client.post(f"/api/v1/fund/claims/{claim.pk}/approve/", {}, format="json")
    assert_problem(response, 403)


def test_a_rejection_without_a_reason_is_a_validation_problem(api_client, make_claim, approver):
    claim = make_claim()
    api_client.force_login(approver.user)
    response = api_client.post(f"/api/v1/fund/claims/{claim.pk}/reject/", {}, format="json")
    assert "reason" in assert_problem(response, 400)["errors"]
    claim.refresh_from_db()
    assert claim.status == PayoutClaim.Status.SUBMITTED


def test_the_ledger_is_read_only(api_client, approver, funded):
    api_client.force_login(approver.user)
    entry = LedgerEntry.objects.get()
    assert_problem(api_client.post("/api/v1/fund/ledger/", {}, format="json"), 405)
    assert_problem(api_client.delete(f"/api/v1/fund/ledger/{entry.pk}/"), 405)


def test_the_finance_circle_sets_a_budget_adopted_by_a_decision(api_client, approver, work_circle):
    api_client.force_login(approver.user)
    decision = DecisionFactory()
    response = api_client.post(
        "/api/v1/fund/budgets/",
        {
            "circle": work_circle.slug,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "currency": "EUR",
            "amount": "3000.00",
            "decision": decision.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content


# Scoping and query counts ----------------------------------------------------------------------
def test_visitors_see_no_money_in_the_api(api_client, funded):
    for path in ["contributions", "pledges", "budgets", "claims", "ledger"]:
        response = api_client.get(f"/api/v1/fund/{path}/")
        assert response.status_code == 401, "told to sign in, not shown an empty list"
        assert "results" not in response.json()


def test_a_coop_admin_sees_only_their_coops_pledges(
    api_client, coop, other_coop, coop_admin, approver
):
    for org in [coop, other_coop]:
        services.pledge_create(
            actor=approver.user,
            organisation=org,
            amount="10",
            currency="EUR",
            frequency="monthly",
            next_due_on=SINCE,
        )
    api_client.force_login(coop_admin.user)
    rows = api_client.get("/api/v1/fund/pledges/").json()["results"]
    assert [r["organisation"] for r in rows] == [coop.slug]


@pytest.mark.parametrize("path", ["contributions", "ledger", "claims", "budgets", "pledges"])
def test_api_lists_cost_the_same_queries_at_two_sizes(
    api_client, approver, second_approver, coop, count_queries, make_claim, work_circle, path
):
    def add(n: int) -> None:
        fund_activity(
            n,
            actor=approver.user,
            organisation=coop,
            on=SINCE,
            make_claim=make_claim,
            confirmer=second_approver.user,
        )

    api_client.force_login(approver.user)
    add(2)
    with count_queries() as small:
        assert api_client.get(f"/api/v1/fund/{path}/").status_code == 200
    add(8)
    with count_queries() as big:
        response = api_client.get(f"/api/v1/fund/{path}/", {"page_size": 100})
    assert path == "budgets" or len(response.json()["results"]) >= 10
    assert big.count == small.count, big.report()


def test_the_schema_documents_every_fund_endpoint(api_client):
    paths = documented_paths(
        api_client,
        "/api/v1/fund/contributions/",
        "/api/v1/fund/pledges/",
        "/api/v1/fund/budgets/",
        "/api/v1/fund/claims/",
        "/api/v1/fund/claims/{id}/approve/",
        "/api/v1/fund/claims/{id}/reject/",
        "/api/v1/fund/claims/{id}/pay/",
        "/api/v1/fund/ledger/",
        "/api/v1/fund/ledger/{id}/",
    )
    params = paths["/api/v1/fund/claims/{id}/pay/"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" for p in params)
