"""fund.permissions.claim_actions: what the claim page offers each person, in each state of the
claim. The table is the spec; every cell is also checked against the services, so the page
never offers a button the service refuses, nor hides one it would allow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fund import services
from fund.models import PayoutClaim
from fund.permissions import ClaimActions, claim_actions

pytestmark = pytest.mark.django_db

ACTIONS = ("submit", "withdraw", "approve", "reject", "pay")
ROLES = ("claimant", "approver", "network admin", "colleague")

# state -> role -> the actions offered
SPEC = {
    "draft": {"claimant": {"submit", "withdraw"}},
    "submitted": {"claimant": {"withdraw"}, "approver": {"approve", "reject"}},
    "submitted, approved by them": {"claimant": {"withdraw"}, "approver": {"reject"}},
    "approved": {
        "claimant": {"withdraw"},
        "approver": {"reject", "pay"},
        "network admin": {"pay"},
    },
    "paid": {},
    "rejected": {},
    "withdrawn": {},
}


@pytest.fixture
def cast(claimant, approver, second_approver, third_approver, network_admin, colleague, funded):
    return {
        "claimant": claimant.user,
        "approver": approver.user,
        "second approver": second_approver.user,
        "third approver": third_approver.user,
        "network admin": network_admin,
        "colleague": colleague.user,
    }


def _claim_in(state: str, make_claim, cast) -> PayoutClaim:
    claim = make_claim(submit=state != "draft")
    if state == "submitted, approved by them":
        services.claim_approve(actor=cast["approver"], claim=claim)
    if state in {"approved", "paid"}:
        services.claim_approve(actor=cast["second approver"], claim=claim)
        services.claim_approve(actor=cast["third approver"], claim=claim)
    if state == "paid":
        services.claim_pay(actor=cast["network admin"], claim=claim)
    if state == "rejected":
        services.claim_reject(actor=cast["approver"], claim=claim, reason="Not fund work.")
    if state == "withdrawn":
        services.claim_withdraw(actor=cast["claimant"], claim=claim)
    claim = PayoutClaim.objects.get(pk=claim.pk)
    assert claim.status == state.split(",")[0]
    return claim


class _Allowed(Exception):
    """Raised to roll back a service call that went through."""


def _service_allows(action: str, user, claim: PayoutClaim) -> bool:
    service = getattr(services, f"claim_{action}")
    extra = {"reason": "Checking."} if action == "reject" else {}
    try:
        with transaction.atomic():
            service(actor=user, claim=PayoutClaim.objects.get(pk=claim.pk), **extra)
            raise _Allowed
    except _Allowed:
        return True
    except (PermissionDenied, ValidationError):
        return False


@pytest.mark.parametrize("state", list(SPEC))
def test_the_claim_page_offers_what_the_services_allow(state, make_claim, cast):
    claim = _claim_in(state, make_claim, cast)

    offered = {
        role: {a for a in ACTIONS if getattr(claim_actions(cast[role], claim), a)} for role in ROLES
    }
    allowed = {
        role: {a for a in ACTIONS if _service_allows(a, cast[role], claim)} for role in ROLES
    }

    expected = {role: SPEC[state].get(role, set()) for role in ROLES}
    assert offered == expected
    assert allowed == expected


def test_without_approver_ids_claim_actions_reads_the_approvals(
    make_claim, approver, second_approver
):
    claim = make_claim()
    services.claim_approve(actor=approver.user, claim=claim)
    claim = PayoutClaim.objects.get(pk=claim.pk)

    assert claim_actions(approver.user, claim) == ClaimActions(reject=True)
    assert claim_actions(second_approver.user, claim) == ClaimActions(approve=True, reject=True)
    assert claim_actions(approver.user, claim, approver_ids={approver.pk}) == ClaimActions(
        reject=True
    )


def test_the_claim_page_shows_the_buttons_of_its_actions(login, make_claim, approver):
    claim = make_claim()
    page = login(approver.user).get(f"/fund/claims/{claim.pk}/").content.decode()

    assert f"/fund/claims/{claim.pk}/approve/" in page
    assert f"/fund/claims/{claim.pk}/reject/" in page
    assert f"/fund/claims/{claim.pk}/pay/" not in page
    assert f"/fund/claims/{claim.pk}/withdraw/" not in page


def test_a_claim_action_does_not_redirect_to_another_site(login, make_claim):
    claim = make_claim()
    client = login(claim.person.user)

    response = client.post(
        f"/fund/claims/{claim.pk}/withdraw/", {"next": "https://elsewhere.example/phish"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/fund/claims/{claim.pk}/"
    claim.refresh_from_db()
    assert claim.status == PayoutClaim.Status.WITHDRAWN


def test_a_claim_action_returns_to_a_page_of_the_site(login, make_claim):
    claim = make_claim()
    client = login(claim.person.user)

    response = client.post(f"/fund/claims/{claim.pk}/withdraw/", {"next": "/fund/claims/"})

    assert response["Location"] == "/fund/claims/"
