"""The fund as people use it: a co-op admin records a contribution, a member claims hours, two
finance members approve, one records the payment, and the balance drops by exactly the amount."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import label, log_out
from tests.fund.conftest import (  # noqa: F401 - the fund's cast, as fixtures
    SINCE,
    approver,
    claimant,
    finance_circle,
    rates,
    second_approver,
    work_circle,
)
from tests.fund.factories import last_month

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("coop_admin", "claimant", "approver", "second_approver", "rates")
def test_a_contribution_pays_a_claim_approved_by_two_and_the_balance_drops_by_the_amount(
    page, log_in
):
    log_in(page, "ana@camplight.coop")
    page.goto("/fund/")
    page.get_by_role("link", name="Record a contribution").click()
    page.get_by_label(label("Amount")).fill("1200.00")
    page.get_by_label(label("Currency")).select_option("EUR")
    page.get_by_label(label("Date received")).fill(SINCE.isoformat())
    page.get_by_role("button", name="Record the contribution").click()
    expect(page.get_by_role("status")).to_contain_text("The contribution is recorded")
    page.goto("/fund/")
    expect(page.get_by_role("table", name="Balance per currency")).not_to_contain_text("1200.00")
    log_out(page)

    # It counts once a finance approver other than the recorder confirms that it arrived.
    log_in(page, "fatima@facttic.coop")
    page.goto("/fund/contributions/?status=pending")
    page.get_by_role("button", name="Confirm €1,200.00").click()
    expect(page.get_by_role("status")).to_contain_text("is confirmed and counts in the balance")
    page.goto("/fund/")
    balance = page.get_by_role("table", name="Balance per currency")
    expect(balance).to_contain_text("€1,200.00")
    log_out(page)

    log_in(page, "mila@camplight.coop")
    page.goto("/fund/")
    page.get_by_role("link", name="Claim hours").first.click()
    start, end = last_month()
    page.get_by_label(label("Circle")).select_option(label="Communications")
    page.get_by_label(label("Work from")).fill(start.isoformat())
    page.get_by_label(label("Work until")).fill(end.isoformat())
    page.get_by_label(label("Hours")).fill("12.5")
    page.get_by_label(label("What you did")).fill("Edited the monthly newsletter.")
    page.get_by_role("button", name="Send to the approvers").click()
    expect(page.get_by_role("status")).to_contain_text("Your claim is sent")
    expect(page.get_by_test_id("claim-amount")).to_have_text("€312.50")
    claim_url = page.url
    log_out(page)

    for email in ["fatima@facttic.coop", "felix@facttic.coop"]:
        log_in(page, email)
        page.goto("/fund/approvals/")
        page.get_by_role("link", name=claim_url.rstrip("/").rsplit("/", 1)[1], exact=False).click()
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("status")).to_contain_text("Your approval is recorded")
        if email.startswith("fatima"):
            log_out(page)
    expect(page.get_by_test_id("claim-status")).to_have_text("Approved")

    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status")).to_contain_text("The payment is recorded in the ledger")
    expect(page.get_by_test_id("claim-status")).to_have_text("Paid")
    page.get_by_role("link", name="See the ledger").click()
    expect(page.get_by_role("table").filter(has_text="Payout")).to_contain_text("-€312.50")
    page.goto("/fund/")
    expect(page.get_by_role("table", name="Balance per currency")).to_contain_text("€887.50")
