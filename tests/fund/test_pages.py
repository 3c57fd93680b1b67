"""The fund pages: forms refuse bad input and save nothing, lists cost a constant number of
queries, the CSV holds the filtered ledger, and the public page names only those who agreed."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from fund import services
from fund.models import Contribution, LedgerEntry, PayoutClaim
from tests.fund.conftest import SINCE
from tests.fund.factories import contribute, fund_activity

pytestmark = pytest.mark.django_db


def test_a_coop_admin_records_a_contribution_through_the_form(login, coop, coop_admin):
    client = login(coop_admin.user)
    response = client.post(
        "/fund/contributions/new/",
        {
            "organisation": coop.pk,
            "amount": "75.25",
            "currency": "EUR",
            "received_on": SINCE.isoformat(),
            "method": "bank",
            "note": "Q1",
        },
    )
    assert response.status_code == 302
    assert not LedgerEntry.objects.exists(), "pending until a finance approver confirms it"
    assert "€75.25" not in client.get("/fund/public/").content.decode()


def test_a_finance_approver_confirms_a_contribution_on_its_page_and_the_balance_moves(
    login, coop, coop_admin, approver
):
    contribution = services.contribution_record(
        actor=coop_admin.user, organisation=coop, amount="75.25", currency="EUR", received_on=SINCE
    )
    client = login(approver.user)
    page = client.get("/fund/contributions/").content.decode()
    assert f"/fund/contributions/{contribution.pk}/confirm/" in page
    response = client.post(f"/fund/contributions/{contribution.pk}/confirm/")
    assert response.status_code == 302
    assert LedgerEntry.objects.get().amount == Decimal("75.25")
    assert "€75.25" in client.get("/fund/").content.decode()


def test_the_recorder_gets_no_confirm_button_and_cannot_confirm(login, coop, approver):
    contribution = services.contribution_record(
        actor=approver.user, organisation=coop, amount="10", currency="EUR", received_on=SINCE
    )
    client = login(approver.user)
    page = client.get("/fund/contributions/").content.decode()
    assert f"/fund/contributions/{contribution.pk}/confirm/" not in page
    assert client.post(f"/fund/contributions/{contribution.pk}/confirm/").status_code == 403
    assert not LedgerEntry.objects.exists()


def test_a_second_post_of_the_same_form_records_nothing_more(login, coop, coop_admin, approver):
    client = login(coop_admin.user)
    form = client.get("/fund/contributions/new/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    body = {
        "organisation": coop.pk,
        "amount": "75.25",
        "currency": "EUR",
        "received_on": SINCE.isoformat(),
        "method": "bank",
        "form_token": token,
    }
    first = client.post("/fund/contributions/new/", body)
    second = client.post("/fund/contributions/new/", body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Contribution.objects.count() == 1
    contribution = Contribution.objects.get()
    confirm = login(approver.user)
    url = f"/fund/contributions/{contribution.pk}/confirm/"
    for _ in range(2):
        assert confirm.post(url, {"form_token": "confirm-once"}).status_code == 302
    assert LedgerEntry.objects.count() == 1
    assert not any("already confirmed" in str(m) for m in confirm.get("/fund/").context["messages"])


def test_a_form_sent_back_with_errors_keeps_its_token_usable(login, coop, coop_admin):
    client = login(coop_admin.user)
    body = {
        "organisation": coop.pk,
        "amount": "99999999999",
        "currency": "EUR",
        "received_on": SINCE.isoformat(),
        "method": "bank",
        "form_token": "t-1",
    }
    refused = client.post("/fund/contributions/new/", body)
    assert refused.status_code == 200
    assert "Enter at most 1000000.00" in refused.content.decode()
    assert client.post("/fund/contributions/new/", body | {"amount": "10"}).status_code == 302
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-3"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"amount": "x"}, "amount"),
        ({"currency": "ZZZ"}, "currency"),
        ({"received_on": "2999-01-01"}, "received_on"),
    ],
)
def test_a_bad_contribution_form_shows_errors_and_saves_nothing(
    login, coop, coop_admin, change, field
):
    data = {
        "organisation": coop.pk,
        "amount": "10",
        "currency": "EUR",
        "received_on": SINCE.isoformat(),
        "method": "bank",
    } | change
    response = login(coop_admin.user).post("/fund/contributions/new/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LedgerEntry.objects.exists()


def test_a_coop_admin_is_offered_only_their_own_coop(login, coop, other_coop, coop_admin):
    response = login(coop_admin.user).post(
        "/fund/contributions/new/",
        {
            "organisation": other_coop.pk,
            "amount": "10",
            "currency": "EUR",
            "received_on": SINCE.isoformat(),
            "method": "bank",
        },
    )
    assert "organisation" in response.context["form"].errors
    assert not LedgerEntry.objects.exists()


def test_a_member_claims_hours_and_sees_the_claim(login, claimant, work_circle, rates):
    client = login(claimant.user)
    response = client.post(
        "/fund/claims/new/",
        {
            "circle": work_circle.pk,
            "period_start": SINCE.isoformat(),
            "period_end": SINCE.isoformat(),
            "hours": "3",
            "currency": "EUR",
            "description": "Wrote **the** newsletter <script>alert(1)</script>",
            "submit": "1",
        },
    )
    claim = PayoutClaim.objects.get()
    assert response["Location"] == f"/fund/claims/{claim.pk}/"
    assert (claim.status, claim.amount) == ("submitted", Decimal("75.00"))
    page = client.get(f"/fund/claims/{claim.pk}/").content.decode()
    assert "<strong>the</strong>" in page and "<script>alert" not in page


def test_a_claim_for_a_circle_one_is_not_in_is_refused_by_the_form(
    login, colleague, work_circle, rates
):
    response = login(colleague.user).post(
        "/fund/claims/new/",
        {
            "circle": work_circle.pk,
            "period_start": SINCE.isoformat(),
            "period_end": SINCE.isoformat(),
            "hours": "3",
            "currency": "EUR",
            "description": "x",
            "submit": "1",
        },
    )
    assert "circle" in response.context["form"].errors
    assert not PayoutClaim.objects.exists()


def test_the_ledger_csv_holds_the_filtered_entries_with_exact_amounts(
    login, approver, funded, approved_claim
):
    services.claim_pay(actor=approver.user, claim=approved_claim)
    response = login(approver.user).get("/fund/ledger.csv", {"kind": "payout"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "date", "kind", "amount", "currency"]
    assert [r[2:5] for r in rows[1:]] == [["payout", "-250.00", "EUR"]]


def test_the_ledger_csv_keeps_spreadsheets_from_running_formulas(login, approver, coop, coop_admin):
    coop.name = "=HYPERLINK(1)"
    coop.save(update_fields=["name"])
    contribute(
        recorder=coop_admin.user,
        confirmer=approver.user,
        organisation=coop,
        amount="5",
        currency="EUR",
        received_on=SINCE,
    )
    body = b"".join(login(approver.user).get("/fund/ledger.csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert '"\'=HYPERLINK(1)"' in body, "the cell is quoted and starts with an apostrophe"


def test_the_public_page_names_only_people_who_agreed(
    client, approver, second_approver, funded, make_claim
):
    for consent in [True, False]:
        claim = make_claim(show_name_publicly=consent)
        services.claim_approve(actor=approver.user, claim=claim)
        services.claim_approve(actor=second_approver.user, claim=claim)
        services.claim_pay(actor=approver.user, claim=claim)
    page = client.get("/fund/public/").content.decode()
    assert page.count("Mila Member") == 1
    assert "Communications" in page and "€500.00" in page


def test_the_public_page_hides_names_without_consent(client, approved_claim, approver, funded):
    services.claim_pay(actor=approver.user, claim=approved_claim)
    page = client.get("/fund/public/").content.decode()
    assert "Mila Member" not in page
    assert "€250.00" in page


def test_the_overview_shows_budget_against_what_was_paid(
    login, approver, work_circle, funded, approved_claim
):
    from django.utils import timezone

    from tests.fund.factories import DecisionFactory

    today = timezone.localdate()
    services.budget_set(
        actor=approver.user,
        circle=work_circle,
        period_start=today.replace(day=1),
        period_end=today.replace(day=28),
        currency="EUR",
        amount="1000",
        decision=DecisionFactory(),
    )
    services.claim_pay(actor=approver.user, claim=approved_claim)
    page = login(approver.user).get("/fund/").content.decode()
    assert "€1,000.00" in page and "€750.00" in page and "25%" in page
    assert "<svg" in page


@pytest.mark.parametrize(
    "url",
    [
        "/fund/ledger/",
        "/fund/claims/",
        "/fund/approvals/",
        "/fund/pledges/",
        "/fund/",
        "/fund/public/",
    ],
)
def test_fund_pages_cost_the_same_queries_at_two_sizes(
    login, url, approver, second_approver, claimant, coop, make_claim, count_queries
):
    def add(n: int) -> None:
        fund_activity(
            n,
            actor=approver.user,
            organisation=coop,
            on=SINCE,
            make_claim=make_claim,
            approvers=[approver, second_approver],
        )

    user = claimant.user if url == "/fund/claims/" else approver.user
    client = login(user)
    add(2)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add(6)
    with count_queries() as big:
        assert client.get(url).status_code == 200
    assert big.count == small.count, big.report()


def test_a_submitted_claim_says_how_many_approvals_it_needs(client, make_claim, approver):
    claim = make_claim()
    client.force_login(approver.user)

    page = client.get(f"/fund/claims/{claim.pk}/").content.decode()

    assert "once 2 members of the finance circle have approved it (0 so far)" in page
