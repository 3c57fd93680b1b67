"""Journeys: the demo member's home shows what waits for them, and the fund's two-of-many
approval works with the demo accounts of the finance circle (journey 9)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from circles.models import Circle, CircleMembership
from fund import permissions as fund_permissions
from fund import services as fund_services
from fund.models import FundSettings, LedgerEntry, PayoutClaim
from members.models import Person
from tests.fund.factories import last_month
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER


def _waiting(page: Page, heading: str):
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(heading)}"))


def test_the_demo_members_home_shows_what_waits_for_them(page: Page, log_in_as):
    log_in_as(page, DEMO_MEMBER)

    page.goto("/")

    expect(page.get_by_role("heading", name="Welcome, Tom Okafor")).to_be_visible()
    rsvps = _waiting(page, "Assemblies: will you come?")
    expect(rsvps.get_by_role("link", name="Network assembly").first).to_be_visible()
    actions = _waiting(page, "Your action items")
    expect(
        actions.get_by_role("link", name="Translate the solidarity fund rules into Spanish")
    ).to_be_visible()
    claims = _waiting(page, "Payout claims to approve or pay")
    expect(claims.get_by_role("listitem").first).to_be_visible()
    rounds = _waiting(page, "Consent rounds waiting for your answer")
    rounds.get_by_role("link", name="Feedback within a week").click()

    # the link leads to where the answer is given
    expect(page).to_have_url(re.compile(r"/policies/amendments/\d+/#round$"))
    expect(page.get_by_role("form", name="Your answer")).to_be_visible()
    page.goto("/")
    page.get_by_role("link", name="The network at a glance").click()
    expect(page.get_by_role("heading", name="The network at a glance")).to_be_visible()


def test_the_demo_coordinator_sees_requests_for_help_to_triage(page: Page, log_in_as):
    log_in_as(page, DEMO_COORDINATOR)

    page.goto("/")

    coordinator = Person.objects.get(user__email=DEMO_COORDINATOR)
    with translation.override(coordinator.language):  # she reads the site in her language
        heading = gettext("Requests for help to triage")
    triage = _waiting(page, heading)
    triage.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/request-help/\d+/$"))


def test_the_demo_finance_circle_has_three_approvers_with_accounts():
    finance = fund_permissions.finance_circle()
    with_accounts = Person.objects.filter(
        pk__in=CircleMembership.objects.current().filter(circle=finance).values("person_id"),
        user__is_active=True,
    )
    emails = set(with_accounts.values_list("user__email", flat=True))
    assert len(emails) >= 3
    assert {DEMO_ADMIN, DEMO_MEMBER} <= emails
    assert FundSettings.load().approvals_needed == 2


def test_two_demo_approvers_approve_a_claim_and_the_admin_pays_it(new_context, log_in_as):
    # The journey's own claim: the coordinator's, for work in the job opportunities circle.
    coordinator = Person.objects.get(user__email=DEMO_COORDINATOR)
    start, end = last_month()
    claim = fund_services.claim_create(
        actor=coordinator.user,
        circle=Circle.objects.get(slug="job-opportunities"),
        period_start=start,
        period_end=end,
        hours=Decimal("3"),
        description="Journey: triaged the month's requests for help.",
        currency="EUR",
        submit=True,
    )
    # Money as the English reader writes it (Babel): "€75.00", not "75.00 EUR".
    title = re.compile(rf"^Lucía Ferreyra: €{claim.amount:,.2f} in Job opportunities")
    member_page = new_context().new_page()
    admin_page = new_context().new_page()
    log_in_as(member_page, DEMO_MEMBER)
    log_in_as(admin_page, DEMO_ADMIN)

    member_page.goto("/")
    _waiting(member_page, "Payout claims to approve or pay").get_by_role("link", name=title).click()
    member_page.get_by_role("button", name="Approve").click()
    expect(member_page.get_by_test_id("claim-status")).to_have_text("Submitted")
    expect(member_page.get_by_role("region", name="Approvals")).to_contain_text("Tom Okafor")

    admin_page.goto("/")
    waiting = _waiting(admin_page, "Payout claims to approve or pay")
    expect(waiting.get_by_role("listitem").filter(has_text=title)).to_contain_text(
        "1 of 2 approvals"
    )
    waiting.get_by_role("link", name=title).click()
    admin_page.get_by_role("button", name="Approve").click()
    expect(admin_page.get_by_test_id("claim-status")).to_have_text("Approved")
    admin_page.get_by_role("button", name="Record the payment").click()

    expect(admin_page.get_by_test_id("claim-status")).to_have_text("Paid")
    claim.refresh_from_db()
    assert claim.status == PayoutClaim.Status.PAID
    assert set(claim.approvals.values_list("approver__user__email", flat=True)) == {
        DEMO_MEMBER,
        DEMO_ADMIN,
    }
    assert LedgerEntry.objects.get(claim=claim).amount == -claim.amount
    member_page.goto("/")
    expect(member_page.get_by_role("link", name=title)).to_have_count(0)
