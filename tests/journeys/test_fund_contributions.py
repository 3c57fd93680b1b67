"""Journey: on the demo, a co-op admin records a contribution, and the public balance moves only
once a finance approver (another demo account) confirms that the money arrived; one that never
arrived, a finance approver declines with a reason."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from playwright.sync_api import Page, expect

from fund import selectors, services
from fund.models import Contribution
from members.models import Person
from patio.dates import network_today
from patio.i18n import format_money
from tests.journeys.conftest import DEMO_COORDINATOR, DEMO_MEMBER


def _public_eur(page: Page) -> str:
    """The public page's euro balance, as the page's language writes it ("€46,300.96")."""
    page.goto("/fund/public/")
    return page.locator("[data-balance=EUR]").first.inner_text()


def _as_shown(page: Page, amount: Decimal) -> str:
    with translation.override(page.locator("html").get_attribute("lang")):
        return format_money(amount, "EUR")


def test_a_recorded_contribution_counts_only_once_another_person_confirms_it(page: Page, log_in_as):
    # The demo shows a year of confirmed contributions and a few waiting for confirmation.
    assert Contribution.objects.filter(status=Contribution.Status.PENDING).exists()
    before = selectors.balances()["EUR"]
    public_before = _public_eur(page)
    assert public_before == _as_shown(page, before)
    recorder = Person.objects.get(user__email=DEMO_COORDINATOR)

    log_in_as(page, DEMO_COORDINATOR)  # Lucía, co-op admin of Hornero
    page.goto("/fund/contributions/new/")
    page.locator("select[name=organisation]").select_option(str(recorder.organisation_id))
    page.locator("input[name=amount]").fill("42.42")
    page.locator("select[name=currency]").select_option("EUR")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url("/fund/contributions/")
    contribution = Contribution.objects.get(amount=Decimal("42.42"), recorded_by=recorder.user)
    assert contribution.status == Contribution.Status.PENDING
    confirm = f"form[action='/fund/contributions/{contribution.pk}/confirm/'] button"
    expect(page.locator(confirm)).to_have_count(0)  # never one's own
    assert _public_eur(page) == _as_shown(page, before)  # in the recorder's language now

    page.context.clear_cookies()
    log_in_as(page, DEMO_MEMBER)  # Tom, of the finance circle
    page.goto("/fund/contributions/?status=pending")
    page.locator(confirm).click()
    expect(page).to_have_url("/fund/contributions/")

    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.CONFIRMED
    after = selectors.balances()["EUR"]
    assert after == before + Decimal("42.42")
    assert _public_eur(page) == _as_shown(page, after)


def test_a_finance_approver_declines_a_contribution_that_never_arrived(page: Page, log_in_as):
    recorder = Person.objects.select_related("user").get(user__email=DEMO_COORDINATOR)
    # A contribution of this journey's own, recorded by Lucía, co-op admin of Hornero.
    contribution = services.contribution_record(
        actor=recorder.user,
        organisation=recorder.organisation,
        amount="13.13",
        currency="EUR",
        received_on=network_today(),
    )
    before = selectors.balances()["EUR"]

    log_in_as(page, DEMO_MEMBER)  # Tom, of the finance circle
    page.goto("/fund/contributions/?status=pending")
    form = page.locator(f"form[action='/fund/contributions/{contribution.pk}/decline/']")
    form.locator("xpath=ancestor::details").locator("summary").click()
    form.locator("textarea[name=reason]").fill("No transfer reached the account.")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url("/fund/contributions/")

    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.DECLINED
    assert contribution.decline_reason == "No transfer reached the account."
    assert selectors.balances()["EUR"] == before
    page.goto("/fund/contributions/?status=declined")
    expect(page.locator("main")).to_contain_text("No transfer reached the account.")
