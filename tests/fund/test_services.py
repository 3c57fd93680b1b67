"""The fund's rules as its services enforce them: ledger, balance, claims and N-of-M approval."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from fund import selectors, services
from fund.models import CurrencyBalance, FundSettings, LedgerEntry, PayoutClaim, Pledge
from tests.fund.conftest import SINCE

pytestmark = pytest.mark.django_db
Status = PayoutClaim.Status


def contribute(person, organisation, amount, currency="EUR", **extra):
    """`person` records a contribution the fund received on SINCE."""
    return services.contribution_record(
        actor=person.user,
        organisation=organisation,
        amount=amount,
        currency=currency,
        received_on=SINCE,
        **extra,
    )


def balance_row(currency):
    return CurrencyBalance.objects.get(currency=currency).balance


def test_a_contribution_is_a_ledger_entry_and_raises_the_balance(coop, coop_admin):
    contribution = contribute(coop_admin, coop, "250.50", note="Q1")
    entry = contribution.entry
    assert (entry.kind, entry.amount, entry.currency) == ("contribution", Decimal("250.50"), "EUR")
    assert selectors.balances() == {"EUR": Decimal("250.50")}
    assert balance_row("EUR") == Decimal("250.50")
    assert AuditEvent.objects.filter(action="fund.contribution_record").count() == 1


def test_currencies_are_kept_apart(coop, coop_admin):
    for amount, currency in [("100", "EUR"), ("40", "USD"), ("0.01", "EUR")]:
        contribute(coop_admin, coop, amount, currency=currency)
    assert selectors.balances() == {"EUR": Decimal("100.01"), "USD": Decimal("40.00")}


def test_a_coop_admin_cannot_record_another_coops_contribution(other_coop, coop_admin):
    with pytest.raises(PermissionDenied):
        contribute(coop_admin, other_coop, "10")


def test_a_member_without_a_role_cannot_record_a_contribution(coop, member):
    with pytest.raises(PermissionDenied):
        contribute(member, coop, "10")


@pytest.mark.parametrize(
    ("amount", "currency", "field"),
    [
        ("0", "EUR", "amount"),
        ("-5", "EUR", "amount"),
        ("abc", "EUR", "amount"),
        ("10", "EURO", "currency"),
        ("10", "eur", "currency"),
        ("1e15", "EUR", "amount"),
    ],
)
def test_bad_contributions_are_refused_and_nothing_is_saved(
    coop, coop_admin, amount, currency, field
):
    with pytest.raises(ValidationError) as error:
        contribute(coop_admin, coop, amount, currency=currency)
    assert field in error.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_a_contribution_paying_a_pledge_moves_its_due_date(coop, coop_admin):
    pledge = services.pledge_create(
        actor=coop_admin.user,
        organisation=coop,
        amount="50",
        currency="EUR",
        frequency=Pledge.Frequency.MONTHLY,
        next_due_on=datetime.date(2024, 1, 31),
    )
    contribute(coop_admin, coop, "50", pledge=pledge)
    pledge.refresh_from_db()
    assert pledge.next_due_on == datetime.date(2024, 2, 29)


def test_ledger_entries_cannot_be_changed_or_deleted(funded):
    entry = LedgerEntry.objects.get()
    entry.amount = Decimal("1.00")
    with pytest.raises(Exception, match="never changed"):
        entry.save()
    with pytest.raises(Exception, match="never deleted"):
        entry.delete()


def test_the_database_refuses_to_change_a_ledger_entry_behind_the_services_back(funded):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.all()._raw_delete(LedgerEntry.objects.db)
    assert LedgerEntry.objects.get().amount == Decimal("1000.00")


def test_a_correction_is_a_reversing_entry_and_the_original_stays(funded, approver):
    original = LedgerEntry.objects.get()
    reversal = services.entry_reverse(actor=approver.user, entry=original, reason="Typo")
    assert reversal.amount == Decimal("-1000.00")
    assert reversal.reversal_of_id == original.pk
    assert LedgerEntry.objects.get(pk=original.pk).amount == Decimal("1000.00")
    assert selectors.balances() == {"EUR": Decimal("0.00")}
    assert AuditEvent.objects.filter(action="fund.entry_reverse").exists()


def test_an_entry_is_reversed_only_once(funded, approver):
    original = LedgerEntry.objects.get()
    services.entry_reverse(actor=approver.user, entry=original, reason="Typo")
    with pytest.raises(ValidationError):
        services.entry_reverse(actor=approver.user, entry=original, reason="Again")


def test_a_member_cannot_correct_the_ledger(funded, member):
    with pytest.raises(PermissionDenied):
        services.entry_reverse(actor=member.user, entry=LedgerEntry.objects.get(), reason="x")


# Claims ----------------------------------------------------------------------------------------
def test_a_claim_is_priced_at_the_funds_hourly_rate(make_claim):
    claim = make_claim(hours="7.5")
    assert (claim.rate, claim.amount, claim.status) == (
        Decimal("25.00"),
        Decimal("187.50"),
        Status.SUBMITTED,
    )


def test_a_person_cannot_claim_for_a_circle_they_are_not_in(make_claim, colleague):
    with pytest.raises(PermissionDenied):
        make_claim(person=colleague)


def test_a_claim_needs_a_currency_the_fund_has_a_rate_for(make_claim):
    with pytest.raises(ValidationError) as error:
        make_claim(currency="JPY")
    assert "currency" in error.value.message_dict


def test_a_claim_needs_two_approvals_by_default(make_claim, approver, second_approver):
    claim = make_claim()
    services.claim_approve(actor=approver.user, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    services.claim_approve(actor=second_approver.user, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def test_the_number_of_approvals_follows_the_fund_settings(make_claim, approver):
    FundSettings.objects.update_or_create(pk=1, defaults={"approvals_needed": 1})
    claim = make_claim()
    services.claim_approve(actor=approver.user, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def test_an_approver_approves_only_once(make_claim, approver):
    claim = make_claim()
    services.claim_approve(actor=approver.user, claim=claim)
    with pytest.raises(ValidationError):
        services.claim_approve(actor=approver.user, claim=claim)
    assert claim.approvals.count() == 1


def test_a_claimant_in_the_finance_circle_cannot_approve_their_own_claim(
    make_claim, approver, work_circle
):
    from tests.circles.factories import CircleMembershipFactory

    CircleMembershipFactory(circle=work_circle, person=approver, start_date=SINCE)
    claim = make_claim(person=approver)
    with pytest.raises(PermissionDenied):
        services.claim_approve(actor=approver.user, claim=claim)


def test_someone_outside_the_finance_circle_cannot_approve(make_claim, colleague):
    with pytest.raises(PermissionDenied):
        services.claim_approve(actor=colleague.user, claim=make_claim())


def test_a_draft_cannot_be_approved_until_submitted(make_claim, approver, claimant):
    claim = make_claim(submit=False)
    with pytest.raises(ValidationError):
        services.claim_approve(actor=approver.user, claim=claim)
    services.claim_submit(actor=claimant.user, claim=claim)
    services.claim_approve(actor=approver.user, claim=claim)


def test_a_rejection_needs_a_reason(make_claim, approver):
    claim = make_claim()
    with pytest.raises(ValidationError):
        services.claim_reject(actor=approver.user, claim=claim, reason="  ")
    services.claim_reject(actor=approver.user, claim=claim, reason="Outside the budget.")
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == (Status.REJECTED, "Outside the budget.")


def test_a_claimant_withdraws_but_not_after_payment(approved_claim, claimant, approver, funded):
    services.claim_pay(actor=approver.user, claim=approved_claim)
    with pytest.raises(ValidationError):
        services.claim_withdraw(actor=claimant.user, claim=approved_claim)


def test_payment_records_the_exact_amount_and_lowers_the_balance(approved_claim, approver, funded):
    entry = services.claim_pay(actor=approver.user, claim=approved_claim)
    assert entry.amount == Decimal("-250.00")
    assert selectors.balances() == {"EUR": Decimal("750.00")}
    assert balance_row("EUR") == Decimal("750.00")
    approved_claim.refresh_from_db()
    assert approved_claim.status == Status.PAID
    assert AuditEvent.objects.filter(action="fund.payout").count() == 1


def test_a_claim_is_paid_only_once(approved_claim, approver, funded):
    services.claim_pay(actor=approver.user, claim=approved_claim)
    with pytest.raises(ValidationError):
        services.claim_pay(actor=approver.user, claim=approved_claim)
    assert LedgerEntry.objects.filter(kind="payout").count() == 1


def test_a_payment_the_fund_cannot_cover_is_refused(approved_claim, approver):
    with pytest.raises(ValidationError, match="not enough"):
        services.claim_pay(actor=approver.user, claim=approved_claim)
    approved_claim.refresh_from_db()
    assert approved_claim.status == Status.APPROVED
    assert not LedgerEntry.objects.exists()


def test_a_submitted_claim_cannot_be_paid(make_claim, approver, funded):
    with pytest.raises(ValidationError):
        services.claim_pay(actor=approver.user, claim=make_claim())


def test_a_claimant_cannot_pay_their_own_claim(approved_claim, claimant, funded):
    with pytest.raises(PermissionDenied):
        services.claim_pay(actor=claimant.user, claim=approved_claim)
