"""The fund's rules as its services enforce them: ledger, balance, claims and N-of-M approval."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from fund import permissions, selectors, services
from fund.models import (
    Contribution,
    CurrencyBalance,
    FundSettings,
    LedgerEntry,
    PayoutClaim,
    Pledge,
)
from patio.dates import network_today
from tests.fund.conftest import SINCE
from tests.fund.factories import contribute

pytestmark = pytest.mark.django_db
Status = PayoutClaim.Status


def balance_row(currency):
    return CurrencyBalance.objects.get(currency=currency).balance


def test_a_recorded_contribution_waits_for_confirmation_and_counts_nowhere(coop, coop_admin):
    contribution = services.contribution_record(
        actor=coop_admin.user,
        organisation=coop,
        amount="250.50",
        currency="EUR",
        received_on=SINCE,
        note="Q1",
    )
    assert contribution.status == Contribution.Status.PENDING
    assert not LedgerEntry.objects.exists()
    assert selectors.balances() == {}
    assert selectors.public_totals()["balances"] == {}
    assert AuditEvent.objects.filter(action="fund.contribution_record").count() == 1


def test_a_confirmed_contribution_is_a_ledger_entry_and_raises_the_balance(
    coop, coop_admin, approver
):
    contribution = services.contribution_record(
        actor=coop_admin.user, organisation=coop, amount="250.50", currency="EUR", received_on=SINCE
    )
    entry = services.contribution_confirm(actor=approver.user, contribution=contribution)
    contribution.refresh_from_db()
    assert (entry.kind, entry.amount, entry.currency) == ("contribution", Decimal("250.50"), "EUR")
    assert entry.contribution == contribution
    assert contribution.status == Contribution.Status.CONFIRMED
    assert contribution.confirmed_by == approver.user
    assert selectors.balances() == {"EUR": Decimal("250.50")}
    assert selectors.public_totals()["balances"] == {"EUR": Decimal("250.50")}
    assert balance_row("EUR") == Decimal("250.50")
    event = AuditEvent.objects.get(action="fund.contribution_confirm")
    assert event.actor == approver.user


def test_the_finance_member_who_recorded_a_contribution_cannot_confirm_it(coop, approver):
    contribution = services.contribution_record(
        actor=approver.user, organisation=coop, amount="10", currency="EUR", received_on=SINCE
    )
    with pytest.raises(PermissionDenied):
        services.contribution_confirm(actor=approver.user, contribution=contribution)
    assert not LedgerEntry.objects.exists()
    assert not permissions.can_confirm_contribution(approver.user, contribution)


@pytest.mark.parametrize("who", ["coop_admin", "member", "network_admin"])
def test_only_a_finance_approver_confirms_a_contribution(request, coop, coop_admin, approver, who):
    contribution = services.contribution_record(
        actor=approver.user, organisation=coop, amount="10", currency="EUR", received_on=SINCE
    )
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.contribution_confirm(
            actor=getattr(actor, "user", actor), contribution=contribution
        )
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    assert not LedgerEntry.objects.exists()


def test_a_contribution_is_confirmed_once(coop, coop_admin, approver, second_approver):
    contribution = services.contribution_record(
        actor=coop_admin.user, organisation=coop, amount="10", currency="EUR", received_on=SINCE
    )
    services.contribution_confirm(actor=approver.user, contribution=contribution)
    with pytest.raises(ValidationError, match="already confirmed"):
        services.contribution_confirm(actor=second_approver.user, contribution=contribution)
    assert selectors.balances() == {"EUR": Decimal("10.00")}


def test_currencies_are_kept_apart(coop, coop_admin, approver):
    for amount, currency in [("100", "EUR"), ("40", "USD"), ("0.01", "EUR")]:
        contribute(
            recorder=coop_admin.user,
            confirmer=approver.user,
            organisation=coop,
            amount=amount,
            currency=currency,
            received_on=SINCE,
        )
    assert selectors.balances() == {"EUR": Decimal("100.01"), "USD": Decimal("40.00")}


def test_a_coop_admin_cannot_record_another_coops_contribution(other_coop, coop_admin):
    with pytest.raises(PermissionDenied):
        services.contribution_record(
            actor=coop_admin.user,
            organisation=other_coop,
            amount="10",
            currency="EUR",
            received_on=SINCE,
        )


def test_a_member_without_a_role_cannot_record_a_contribution(coop, member):
    with pytest.raises(PermissionDenied):
        services.contribution_record(
            actor=member.user, organisation=coop, amount="10", currency="EUR", received_on=SINCE
        )


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
        services.contribution_record(
            actor=coop_admin.user,
            organisation=coop,
            amount=amount,
            currency=currency,
            received_on=SINCE,
        )
    assert field in error.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_a_confirmed_contribution_paying_a_pledge_moves_its_due_date(coop, coop_admin, approver):
    pledge = services.pledge_create(
        actor=coop_admin.user,
        organisation=coop,
        amount="50",
        currency="EUR",
        frequency=Pledge.Frequency.MONTHLY,
        next_due_on=datetime.date(2024, 1, 31),
    )
    contribution = services.contribution_record(
        actor=coop_admin.user,
        organisation=coop,
        amount="50",
        currency="EUR",
        received_on=SINCE,
        pledge=pledge,
    )
    pledge.refresh_from_db()
    assert pledge.next_due_on == datetime.date(2024, 1, 31), "not paid until confirmed"
    services.contribution_confirm(actor=approver.user, contribution=contribution)
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


# Ceilings, dates and the balance's limit -------------------------------------------------------
def test_a_contribution_over_the_currency_ceiling_is_refused(coop, coop_admin):
    with pytest.raises(ValidationError) as error:
        services.contribution_record(
            actor=coop_admin.user,
            organisation=coop,
            amount="99999999999.00",
            currency="EUR",
            received_on=SINCE,
        )
    assert "amount" in error.value.message_dict
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    "received_on", [datetime.date(2019, 12, 31), network_today() + datetime.timedelta(days=1)]
)
def test_a_contribution_dated_before_the_fund_or_after_today_is_refused(
    coop, coop_admin, received_on
):
    with pytest.raises(ValidationError) as error:
        services.contribution_record(
            actor=coop_admin.user,
            organisation=coop,
            amount="10",
            currency="EUR",
            received_on=received_on,
        )
    assert "received_on" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_the_balance_column_cannot_overflow(settings, coop, coop_admin, approver):
    settings.FUND_CONTRIBUTION_CEILING = {"default": "999999999999.99"}
    contribute(
        recorder=coop_admin.user,
        confirmer=approver.user,
        organisation=coop,
        amount="999999999999.00",
        currency="EUR",
        received_on=SINCE,
    )
    second = services.contribution_record(
        actor=coop_admin.user, organisation=coop, amount="1000", currency="EUR", received_on=SINCE
    )
    with pytest.raises(ValidationError, match="beyond what its books can hold"):
        services.contribution_confirm(actor=approver.user, contribution=second)
    second.refresh_from_db()
    assert second.status == Contribution.Status.PENDING
    assert balance_row("EUR") == Decimal("999999999999.00")
    # The books still work: a smaller movement goes through.
    third = services.contribution_record(
        actor=coop_admin.user, organisation=coop, amount="0.99", currency="EUR", received_on=SINCE
    )
    services.contribution_confirm(actor=approver.user, contribution=third)
    assert balance_row("EUR") == Decimal("999999999999.99")
