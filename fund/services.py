"""Every write of the fund: named verbs, keyword-only, atomic, audited.

Money moves only through `_post_entry`, which locks the currency's balance row first: the
balance check and the new entry happen under that lock, so two payments cannot both spend the
same money, and the row always equals the sum of the currency's entries.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assemblies.models import Decision
from audit.services import audit_record
from circles.models import Circle
from fund import permissions
from fund.models import (
    Budget,
    ClaimApproval,
    Contribution,
    CurrencyBalance,
    FundSettings,
    HourlyRate,
    LedgerEntry,
    PayoutClaim,
    Pledge,
    PledgeReminder,
)
from fund.money import (
    MAX_AMOUNT,
    AmountInput,
    claim_amount,
    contribution_ceiling,
    quantize,
    validate_currency,
)
from members.models import Organisation
from members.permissions import person_of
from patio import outbox
from patio.dates import network_today
from patio.i18n import format_money

if TYPE_CHECKING:
    from accounts.models import AnyUser

Status = PayoutClaim.Status

DUE_REMINDER_DAYS_BEFORE = 3
OVERDUE_AFTER_DAYS = 14


def _positive_amount(
    amount: AmountInput, field: str = "amount", *, ceiling: Decimal = MAX_AMOUNT
) -> Decimal:
    try:
        value = quantize(amount)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if value <= 0:
        raise ValidationError({field: _("Enter an amount above zero.")})
    if value > ceiling:
        raise ValidationError(
            {field: _("Enter at most %(ceiling)s.") % {"ceiling": ceiling}}, code="ceiling"
        )
    return value


def _contribution_amount(amount: AmountInput, currency: str) -> Decimal:
    """An amount within the fund's ceiling for the currency (one typo must not move millions)."""
    return _positive_amount(amount, ceiling=contribution_ceiling(currency))


def _fund_date(day: datetime.date, field: str) -> datetime.date:
    """A date the fund can have received money on: since it opened, and not after today (the
    network's date, whoever records it and wherever they are)."""
    started: datetime.date = settings.FUND_STARTED_ON
    if day > network_today():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future")
    if day < started:
        raise ValidationError(
            {
                field: _("The fund started on %(date)s: enter a date since then.")
                % {"date": started}
            },
            code="before_start",
        )
    return day


def _currency(currency: str) -> str:
    try:
        validate_currency(currency)
    except ValidationError as error:
        raise ValidationError({"currency": error.messages}) from None
    return currency


def _locked_balance(currency: str) -> CurrencyBalance:
    """The currency's balance row, locked until the transaction ends (created on first use;
    ON CONFLICT DO NOTHING lets two first movements in a new currency race safely)."""
    CurrencyBalance.objects.bulk_create([CurrencyBalance(currency=currency)], ignore_conflicts=True)
    return CurrencyBalance.objects.select_for_update().get(currency=currency)


def _post_entry(
    *,
    actor: AnyUser | None,
    kind: str,
    amount: Decimal,
    currency: str,
    occurred_on: datetime.date,
    description: str,
    require_cover: bool = False,
    **links: Any,
) -> LedgerEntry:
    balance = _locked_balance(currency)
    if require_cover and balance.balance + amount < 0:
        raise ValidationError(
            _("The fund holds %(balance)s: not enough to pay %(amount)s.")
            % {
                "balance": format_money(balance.balance, currency),
                "amount": format_money(-amount, currency),
            },
            code="insufficient_funds",
        )
    if abs(balance.balance + amount) > MAX_AMOUNT:
        # Checked under the lock, so the balance column can never overflow: the movement is
        # refused with a reason instead of every later one failing in the database.
        raise ValidationError(
            _("The fund's balance in %(currency)s would go beyond what its books can hold.")
            % {"currency": currency},
            code="balance_overflow",
        )
    entry = LedgerEntry.objects.create(
        kind=kind,
        amount=amount,
        currency=currency,
        occurred_on=occurred_on,
        description=description[:300],
        recorded_by=actor if isinstance(actor, User) else None,
        **links,
    )
    CurrencyBalance.objects.filter(pk=balance.pk).update(
        balance=F("balance") + amount, updated_at=timezone.now()
    )
    return entry


def _entry_audit(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "amount": str(entry.amount),
        "currency": entry.currency,
        "occurred_on": entry.occurred_on.isoformat(),
    }


# Contributions and pledges ---------------------------------------------------------------------
def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def contribution_record(
    *,
    actor: AnyUser,
    organisation: Organisation,
    amount: AmountInput,
    currency: str,
    received_on: datetime.date,
    method: str = Contribution.Method.BANK_TRANSFER,
    note: str = "",
    pledge: Pledge | None = None,
) -> Contribution:
    """A contribution a co-op says it sent, waiting for a finance approver to confirm it
    (`contribution_confirm`). Until then it is in no balance and on no ledger."""
    if not permissions.can_record_contribution(actor, organisation):
        raise PermissionDenied(_("You may not record contributions from this organisation."))
    currency = _currency(currency)
    amount = _contribution_amount(amount, currency)
    _fund_date(received_on, "received_on")
    if method not in Contribution.Method.values:
        raise ValidationError({"method": _("Choose how the money was sent.")})
    if pledge is not None and pledge.organisation_id != organisation.pk:
        raise ValidationError({"pledge": _("This pledge is another organisation's.")})
    contribution = Contribution.objects.create(
        organisation=organisation,
        amount=amount,
        currency=currency,
        received_on=received_on,
        method=method,
        note=note,
        pledge=pledge,
        recorded_by=actor if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="fund.contribution_record",
        target=contribution,
        after={
            "status": contribution.status,
            "amount": str(amount),
            "currency": currency,
            "received_on": received_on.isoformat(),
        },
    )
    return contribution


class ContributionNotPending(ValidationError):
    """The contribution was confirmed or declined already (perhaps a moment ago, by someone
    else): the API answers 409."""


@transaction.atomic
def contribution_confirm(*, actor: AnyUser, contribution: Contribution) -> LedgerEntry:
    """A finance approver, never the one who recorded it, confirms the money arrived: only now
    is it written in the ledger and counted in the balance, and its pledge moves on.

    The contribution row is locked first, so two confirmations arriving together write one
    entry (the second finds it confirmed); the entry's one-to-one link says so again."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not permissions.can_confirm_contribution(actor, contribution):
        raise PermissionDenied(
            _("Only a finance approver other than the one who recorded it confirms a contribution.")
        )
    if contribution.status == Contribution.Status.DECLINED:
        raise ContributionNotPending(
            _("This contribution was declined; it cannot be confirmed."), code="declined"
        )
    if contribution.status != Contribution.Status.PENDING:
        raise ValidationError(
            _("This contribution is already confirmed."), code="already_confirmed"
        )
    organisation = contribution.organisation
    entry = _post_entry(
        actor=actor,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        amount=contribution.amount,
        currency=contribution.currency,
        occurred_on=contribution.received_on,
        description=_("Contribution from %(name)s") % {"name": organisation.name},
        contribution=contribution,
        organisation=organisation,
    )
    contribution.status = Contribution.Status.CONFIRMED
    contribution.confirmed_by = actor if isinstance(actor, User) else None
    contribution.confirmed_at = timezone.now()
    contribution.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    if contribution.pledge_id is not None:
        locked = Pledge.objects.select_for_update().get(pk=contribution.pledge_id)
        step = 1 if locked.frequency == Pledge.Frequency.MONTHLY else 12
        locked.next_due_on = _add_months(locked.next_due_on, step)
        locked.save(update_fields=["next_due_on", "updated_at"])
    audit_record(
        actor=actor,
        action="fund.contribution_confirm",
        target=entry,
        before={"status": Contribution.Status.PENDING},
        after={**_entry_audit(entry), "status": Contribution.Status.CONFIRMED},
    )
    return entry


@transaction.atomic
def contribution_decline(
    *, actor: AnyUser, contribution: Contribution, reason: str
) -> Contribution:
    """A finance approver, never the one who recorded it, says a pending contribution did not
    arrive (or was recorded wrong): it is declined, never counts, and its recorder is emailed
    the reason once this commits.

    Claimed with a conditional UPDATE on `status = pending`: a confirmation or another decline
    that got there first leaves no row to update, so the money is never both counted and
    declined (PostgreSQL re-checks the condition on the row `contribution_confirm` locked)."""
    if not permissions.can_decline_contribution(actor, contribution):
        raise PermissionDenied(
            _("Only a finance approver other than the one who recorded it declines a contribution.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the contribution is declined.")})
    now = timezone.now()
    claimed = Contribution.objects.filter(
        pk=contribution.pk, status=Contribution.Status.PENDING
    ).update(
        status=Contribution.Status.DECLINED,
        declined_by=actor if isinstance(actor, User) else None,
        declined_at=now,
        decline_reason=reason,
    )
    if claimed != 1:
        raise ContributionNotPending(
            _("Only a contribution waiting for confirmation can be declined."), code="not_pending"
        )
    declined = Contribution.objects.get(pk=contribution.pk)
    audit_record(
        actor=actor,
        action="fund.contribution_decline",
        target=declined,
        before={"status": Contribution.Status.PENDING},
        after={"status": Contribution.Status.DECLINED, "reason": reason},
    )
    if declined.recorded_by_id is not None:
        from fund.tasks import send_contribution_decline_notice

        outbox.enqueue(send_contribution_decline_notice, declined.pk)
    return declined


@transaction.atomic
def pledge_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    amount: AmountInput,
    currency: str,
    frequency: str,
    next_due_on: datetime.date,
    note: str = "",
) -> Pledge:
    if not permissions.can_manage_pledges(actor, organisation):
        raise PermissionDenied(_("You may not pledge for this organisation."))
    if frequency not in Pledge.Frequency.values:
        raise ValidationError({"frequency": _("Choose monthly or yearly.")})
    pledge = Pledge.objects.create(
        organisation=organisation,
        amount=_contribution_amount(amount, _currency(currency)),
        currency=_currency(currency),
        frequency=frequency,
        next_due_on=next_due_on,
        note=note,
        created_by=actor if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="fund.pledge_create",
        target=pledge,
        after={"amount": str(pledge.amount), "currency": pledge.currency, "frequency": frequency},
    )
    return pledge


@transaction.atomic
def pledge_end(*, actor: AnyUser, pledge: Pledge) -> Pledge:
    if not permissions.can_manage_pledges(actor, pledge.organisation):
        raise PermissionDenied(_("You may not change this pledge."))
    updated = Pledge.objects.filter(pk=pledge.pk, active=True).update(
        active=False, updated_at=timezone.now()
    )
    if updated:
        audit_record(
            actor=actor,
            action="fund.pledge_end",
            target=pledge,
            before={"active": True},
            after={"active": False},
        )
    pledge.refresh_from_db()
    return pledge


def pledge_reminders_due(*, today: datetime.date) -> list[int]:
    """Create the reminder rows due today (one per pledge, due date and kind, by the database's
    unique key) and return the ids of those not yet sent. Running twice adds nothing."""
    soon = today + datetime.timedelta(days=DUE_REMINDER_DAYS_BEFORE)
    overdue_since = today - datetime.timedelta(days=OVERDUE_AFTER_DAYS)
    rows = []
    for pledge in Pledge.objects.filter(active=True, next_due_on__lte=soon).only(
        "pk", "next_due_on"
    ):
        rows.append(
            PledgeReminder(
                pledge_id=pledge.pk, due_on=pledge.next_due_on, kind=PledgeReminder.Kind.DUE
            )
        )
        if pledge.next_due_on <= overdue_since:
            rows.append(
                PledgeReminder(
                    pledge_id=pledge.pk, due_on=pledge.next_due_on, kind=PledgeReminder.Kind.OVERDUE
                )
            )
    PledgeReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        PledgeReminder.objects.filter(sent_at__isnull=True, pledge__active=True)
        .order_by("id")
        .values_list("id", flat=True)
    )


# Budgets ---------------------------------------------------------------------------------------
@transaction.atomic
def budget_set(
    *,
    actor: AnyUser,
    circle: Circle,
    period_start: datetime.date,
    period_end: datetime.date,
    currency: str,
    amount: AmountInput,
    decision: Decision,
) -> Budget:
    if not permissions.can_set_budget(actor):
        raise PermissionDenied(_("Only the finance circle sets budgets."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if decision.outcome != Decision.Outcome.ADOPTED:
        raise ValidationError({"decision": _("Choose a decision the assembly adopted.")})
    value = quantize(amount)
    if value < 0:
        raise ValidationError({"amount": _("A budget cannot be negative.")})
    currency = _currency(currency)
    if Budget.objects.filter(circle=circle, period_start=period_start, currency=currency).exists():
        raise ValidationError(
            {
                "period_start": _(
                    "This circle already has a budget in this currency for this period."
                )
            }
        )
    budget = Budget.objects.create(
        circle=circle,
        period_start=period_start,
        period_end=period_end,
        currency=currency,
        amount=value,
        decision=decision,
        created_by=actor if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="fund.budget_set",
        target=budget,
        after={
            "amount": str(value),
            "currency": currency,
            "period": f"{period_start}/{period_end}",
        },
    )
    return budget


# Claims ----------------------------------------------------------------------------------------
def _locked_claim(claim: PayoutClaim) -> PayoutClaim:
    return PayoutClaim.objects.select_for_update().get(pk=claim.pk)


def _set_status(
    claim: PayoutClaim, actor: AnyUser, action: str, new: str, **fields: Any
) -> PayoutClaim:
    old = claim.status
    claim.status = new
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save(update_fields=["status", "updated_at", *fields])
    audit_record(
        actor=actor, action=action, target=claim, before={"status": old}, after={"status": new}
    )
    return claim


@transaction.atomic
def claim_create(
    *,
    actor: AnyUser,
    circle: Circle,
    period_start: datetime.date,
    period_end: datetime.date,
    hours: AmountInput,
    description: str,
    currency: str,
    show_name_publicly: bool = False,
    submit: bool = False,
) -> PayoutClaim:
    """A claim for internal work at the fund's hourly rate for the currency."""
    person = person_of(actor)
    if person is None or not permissions.can_claim(actor, circle):
        raise PermissionDenied(_("You may claim only for work in circles you belong to."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if period_start > network_today():
        raise ValidationError({"period_start": _("Claim for work already done.")})
    try:
        hours = Decimal(hours).quantize(Decimal("0.01"))
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError({"hours": _("Enter a number of hours.")}) from None
    if not Decimal("0.25") <= hours <= Decimal("744"):
        raise ValidationError({"hours": _("Enter between 0.25 and 744 hours.")})
    if not description.strip():
        raise ValidationError({"description": _("Say what you did.")})
    currency = _currency(currency)
    rate = HourlyRate.objects.filter(currency=currency).values_list("rate", flat=True).first()
    if rate is None:
        raise ValidationError({"currency": _("The fund has no hourly rate in this currency.")})
    amount = claim_amount(hours, rate)
    if amount > MAX_AMOUNT:
        raise ValidationError({"hours": _("This claim is larger than the fund's books can hold.")})
    now = timezone.now()
    claim = PayoutClaim.objects.create(
        person=person,
        circle=circle,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        description=description,
        rate=rate,
        currency=currency,
        amount=amount,
        show_name_publicly=show_name_publicly,
        status=Status.SUBMITTED if submit else Status.DRAFT,
        submitted_at=now if submit else None,
    )
    audit_record(
        actor=actor,
        action="fund.claim_create",
        target=claim,
        after={"status": claim.status, "amount": str(claim.amount), "currency": currency},
    )
    return claim


@transaction.atomic
def claim_submit(*, actor: AnyUser, claim: PayoutClaim) -> PayoutClaim:
    claim = _locked_claim(claim)
    if not permissions.is_claimant(actor, claim):
        raise PermissionDenied(_("Only the claimant submits a claim."))
    if claim.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    return _set_status(
        claim, actor, "fund.claim_submit", Status.SUBMITTED, submitted_at=timezone.now()
    )


@transaction.atomic
def claim_withdraw(*, actor: AnyUser, claim: PayoutClaim) -> PayoutClaim:
    claim = _locked_claim(claim)
    if not permissions.is_claimant(actor, claim):
        raise PermissionDenied(_("Only the claimant withdraws a claim."))
    if claim.status not in {Status.DRAFT, Status.SUBMITTED, Status.APPROVED}:
        raise ValidationError(_("A claim that is paid, rejected or withdrawn cannot be withdrawn."))
    return _set_status(
        claim, actor, "fund.claim_withdraw", Status.WITHDRAWN, decided_at=timezone.now()
    )


@transaction.atomic
def claim_approve(*, actor: AnyUser, claim: PayoutClaim) -> PayoutClaim:
    """One approval by a finance circle member (never the claimant, once each). The claim row
    is locked, so approvals arriving together are counted one after the other: the claim turns
    approved exactly when the N-th arrives."""
    claim = _locked_claim(claim)
    if permissions.is_claimant(actor, claim):
        raise PermissionDenied(_("You cannot approve your own claim."))
    if not permissions.can_approve_claim(actor, claim):
        raise PermissionDenied(_("Only members of the finance circle approve claims."))
    if claim.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted claim can be approved."))
    approver = person_of(actor)
    assert approver is not None  # can_approve_claim asks for a person of the finance circle
    if ClaimApproval.objects.filter(claim=claim, approver=approver).exists():
        raise ValidationError(_("You have already approved this claim."))
    try:
        with transaction.atomic():
            approval = ClaimApproval.objects.create(claim=claim, approver=approver)
    except IntegrityError:
        raise ValidationError(_("You have already approved this claim.")) from None
    audit_record(
        actor=actor, action="fund.claim_approval", target=approval, after={"claim": claim.pk}
    )
    needed = FundSettings.load().approvals_needed
    if claim.approvals.aggregate(n=Count("id"))["n"] >= needed:
        _set_status(claim, actor, "fund.claim_approve", Status.APPROVED, decided_at=timezone.now())
    return claim


@transaction.atomic
def claim_reject(*, actor: AnyUser, claim: PayoutClaim, reason: str) -> PayoutClaim:
    claim = _locked_claim(claim)
    if not permissions.can_approve_claim(actor, claim):
        raise PermissionDenied(_("Only members of the finance circle reject claims."))
    if claim.status not in {Status.SUBMITTED, Status.APPROVED}:
        raise ValidationError(_("Only a submitted or approved claim can be rejected."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the claim is rejected.")})
    return _set_status(
        claim,
        actor,
        "fund.claim_reject",
        Status.REJECTED,
        rejection_reason=reason,
        decided_at=timezone.now(),
    )


@transaction.atomic
def claim_pay(
    *, actor: AnyUser, claim: PayoutClaim, paid_on: datetime.date | None = None
) -> LedgerEntry:
    """Record the payment of an approved claim: once, and only if the fund holds the money.

    The claim row is locked first (a second payment waits, then finds it paid), then the
    currency's balance row (a payment of another claim waits, then sees the lower balance).
    The entry's one-to-one link to the claim makes a second payment impossible in the database
    too."""
    claim = _locked_claim(claim)
    if not permissions.can_pay_claim(actor, claim):
        raise PermissionDenied(_("Only the finance circle records payments, never for itself."))
    if claim.status == Status.PAID:
        raise ValidationError(_("This claim is already paid."), code="already_paid")
    if claim.status != Status.APPROVED:
        raise ValidationError(_("Only an approved claim can be paid."))
    paid_on = paid_on or network_today()
    entry = _post_entry(
        actor=actor,
        kind=LedgerEntry.Kind.PAYOUT,
        amount=-claim.amount,
        currency=claim.currency,
        occurred_on=paid_on,
        require_cover=True,
        claim=claim,
        circle_id=claim.circle_id,
        description=_("Payout: %(hours)s hours in %(circle)s")
        % {"hours": claim.hours, "circle": claim.circle.name},
    )
    _set_status(claim, actor, "fund.claim_pay", Status.PAID, paid_at=timezone.now())
    audit_record(actor=actor, action="fund.payout", target=entry, after=_entry_audit(entry))
    return entry


# Corrections -----------------------------------------------------------------------------------
@transaction.atomic
def entry_reverse(*, actor: AnyUser, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """A correction: a new entry of the opposite amount. The original stays as it was."""
    if not permissions.can_correct_ledger(actor):
        raise PermissionDenied(_("Only the finance circle corrects the ledger."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this entry is reversed.")})
    if entry.kind == LedgerEntry.Kind.CORRECTION:
        raise ValidationError(_("A correction cannot be reversed; record the entry again."))
    _locked_balance(entry.currency)  # serialises reversals in this currency
    if LedgerEntry.objects.filter(reversal_of=entry).exists():
        raise ValidationError(_("This entry is already reversed."), code="already_reversed")
    try:
        with transaction.atomic():
            reversal = _post_entry(
                actor=actor,
                kind=LedgerEntry.Kind.CORRECTION,
                amount=-entry.amount,
                currency=entry.currency,
                occurred_on=network_today(),
                reversal_of=entry,
                organisation_id=entry.organisation_id,
                circle_id=entry.circle_id,
                description=_("Reversal of entry %(id)s: %(reason)s")
                % {"id": entry.pk, "reason": reason},
            )
    except IntegrityError:
        raise ValidationError(
            _("This entry is already reversed."), code="already_reversed"
        ) from None
    audit_record(
        actor=actor,
        action="fund.entry_reverse",
        target=reversal,
        before=_entry_audit(entry),
        after=_entry_audit(reversal),
    )
    return reversal


# Settings --------------------------------------------------------------------------------------
@transaction.atomic
def fund_settings_set(
    *, actor: AnyUser, approvals_needed: int, finance_circle: Circle | None
) -> FundSettings:
    """The approval rule (N approvals of the finance circle's M members) and which circle
    approves: who holds the money's keys, so only a network admin changes them, audited."""
    if not permissions.can_change_fund_rules(actor):
        raise PermissionDenied(_("Only a network admin changes the fund's approval rule."))
    if not 1 <= approvals_needed <= 9:
        raise ValidationError({"approvals_needed": _("Ask for between 1 and 9 approvals.")})
    FundSettings.load()
    settings_row = FundSettings.objects.select_for_update().get(pk=1)
    before = {
        "approvals_needed": settings_row.approvals_needed,
        "finance_circle": settings_row.finance_circle_id,
    }
    settings_row.approvals_needed = approvals_needed
    settings_row.finance_circle = finance_circle
    settings_row.save(update_fields=["approvals_needed", "finance_circle"])
    audit_record(
        actor=actor,
        action="fund.settings_set",
        target=settings_row,
        before=before,
        after={
            "approvals_needed": approvals_needed,
            "finance_circle": finance_circle.pk if finance_circle else None,
        },
    )
    return settings_row


@transaction.atomic
def hourly_rate_set(*, actor: AnyUser, currency: str, rate: AmountInput) -> HourlyRate:
    if not permissions.is_finance(actor):
        raise PermissionDenied(_("Only the finance circle sets the hourly rate."))
    value = _positive_amount(rate, "rate")
    obj, _created = HourlyRate.objects.update_or_create(
        currency=_currency(currency), defaults={"rate": value}
    )
    audit_record(
        actor=actor,
        action="fund.hourly_rate_set",
        target=obj,
        after={"currency": currency, "rate": str(value)},
    )
    return obj
