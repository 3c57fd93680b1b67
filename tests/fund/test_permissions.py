"""Who may do what with the fund, through the pages and the API.

Each row is an action, each column a role, each cell what that role gets: a status code, LOGIN
(the page sends them to log in) or SAVED (the page did it and redirected elsewhere).

`member` (Ivan) is in no circle; `claimant` is in the communications circle; `coop_admin` administers
Camplight; `approver` is in the finance circle; `network_admin` has no person of their own.
A forbidden write leaves no ledger entry, approval or audit event behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from circles.models import Circle
from fund import services
from fund.models import ClaimApproval, Contribution, LedgerEntry, PayoutClaim, Pledge
from members.models import Organisation
from tests import matrix
from tests.fund.conftest import SINCE
from tests.matrix import LOGIN, SAVED

ROLES = ("visitor", "member", "claimant", "coop_admin", "approver", "network_admin")

#                                 visitor member claimant c-admin approver n-admin
MATRIX = {
    "page: overview": (LOGIN, 200, 200, 200, 200, 200),
    "page: ledger": (LOGIN, 200, 200, 200, 200, 200),
    "page: ledger csv": (LOGIN, 200, 200, 200, 200, 200),
    "page: transparency": (200, 200, 200, 200, 200, 200),
    "page: my claims": (LOGIN, 200, 200, 200, 200, 403),
    "page: claim form": (LOGIN, 200, 200, 200, 200, 403),
    "page: claim detail": (LOGIN, 404, 200, 404, 200, 200),
    "page: approval queue": (LOGIN, 403, 403, 403, 200, 200),
    "page: pledges": (LOGIN, 403, 403, 200, 200, 200),
    "page: contribution form": (LOGIN, 403, 403, 200, 200, 200),
    "page: record contribution": (LOGIN, 403, 403, SAVED, SAVED, SAVED),
    "page: budget form": (LOGIN, 403, 403, 403, 200, 200),
    "page: approve claim": (LOGIN, 404, 403, 404, SAVED, 403),
    "page: reverse entry": (LOGIN, 403, 403, 403, SAVED, SAVED),
    "api: record contribution": (401, 403, 403, 201, 201, 201),
    "api: pledge for the co-op": (401, 403, 403, 201, 201, 201),
    "api: approve claim": (401, 404, 403, 404, 200, 403),
    "api: pay claim": (401, 404, 403, 404, 200, 200),
    "api: claim hours": (401, 403, 201, 403, 403, 403),
}

READS = {
    "page: overview",
    "page: ledger",
    "page: ledger csv",
    "page: transparency",
    "page: my claims",
    "page: claim form",
    "page: claim detail",
    "page: approval queue",
    "page: pledges",
    "page: contribution form",
    "page: budget form",
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    coop: Organisation
    circle: Circle
    submitted: PayoutClaim
    approved: PayoutClaim
    entry: LedgerEntry


@pytest.fixture
def world(
    colleague,
    claimant,
    coop,
    coop_admin,
    approver,
    second_approver,
    network_admin,
    funded,
    make_claim,
    work_circle,
) -> World:
    submitted = make_claim()
    approved = make_claim(hours="2")
    services.claim_approve(actor=approver.user, claim=approved)
    services.claim_approve(actor=second_approver.user, claim=approved)
    return World(
        coop=coop,
        circle=work_circle,
        submitted=submitted,
        approved=approved,
        entry=LedgerEntry.objects.get(),
        users={
            "member": colleague.user,
            "claimant": claimant.user,
            "coop_admin": coop_admin.user,
            "approver": approver.user,
            "network_admin": network_admin,
        },
    )


def _snapshot() -> tuple:
    return (
        LedgerEntry.objects.count(),
        sorted(PayoutClaim.objects.values_list("pk", "status")),
        ClaimApproval.objects.count(),
        Contribution.objects.count(),
        Pledge.objects.count(),
    )


def _run(action: str, world: World, page: Client, api: APIClient) -> matrix.Outcome:
    coop, submitted, approved = world.coop, world.submitted, world.approved
    contribution = {
        "organisation": coop.slug,
        "amount": "10.00",
        "currency": "EUR",
        "received_on": SINCE.isoformat(),
        "method": "bank",
    }
    pages = {
        "page: overview": lambda: page.get("/fund/"),
        "page: ledger": lambda: page.get("/fund/ledger/"),
        "page: ledger csv": lambda: page.get("/fund/ledger.csv"),
        "page: transparency": lambda: page.get("/fund/public/"),
        "page: my claims": lambda: page.get("/fund/claims/"),
        "page: claim form": lambda: page.get("/fund/claims/new/"),
        "page: claim detail": lambda: page.get(f"/fund/claims/{submitted.pk}/"),
        "page: approval queue": lambda: page.get("/fund/approvals/"),
        "page: pledges": lambda: page.get("/fund/pledges/"),
        "page: contribution form": lambda: page.get("/fund/contributions/new/"),
        "page: record contribution": lambda: page.post(
            "/fund/contributions/new/", {**contribution, "organisation": coop.pk}
        ),
        "page: budget form": lambda: page.get("/fund/budgets/new/"),
        "page: approve claim": lambda: page.post(f"/fund/claims/{submitted.pk}/approve/"),
        "page: reverse entry": lambda: page.post(
            f"/fund/ledger/{world.entry.pk}/reverse/", {"reason": "Counted twice"}
        ),
    }
    apis = {
        "api: record contribution": lambda: api.post(
            "/api/v1/fund/contributions/", contribution, format="json"
        ),
        "api: pledge for the co-op": lambda: api.post(
            "/api/v1/fund/pledges/",
            {
                "organisation": coop.slug,
                "amount": "10.00",
                "currency": "EUR",
                "frequency": "monthly",
                "next_due_on": "2030-01-01",
            },
            format="json",
        ),
        "api: approve claim": lambda: api.post(
            f"/api/v1/fund/claims/{submitted.pk}/approve/", {}, format="json"
        ),
        "api: pay claim": lambda: api.post(
            f"/api/v1/fund/claims/{approved.pk}/pay/", {}, format="json"
        ),
        "api: claim hours": lambda: api.post(
            "/api/v1/fund/claims/",
            {
                "circle": world.circle.slug,
                "period_start": SINCE.isoformat(),
                "period_end": SINCE.isoformat(),
                "hours": "1",
                "description": "Notes",
                "currency": "EUR",
            },
            format="json",
        ),
    }
    if action in pages:
        return matrix.outcome(pages[action]())
    return apis[action]().status_code


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page, api) == expected
