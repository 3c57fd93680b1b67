"""The common fund: contributions in, paid internal work out, and an immutable ledger between.

Every money movement is a LedgerEntry. Entries are never changed or deleted (the database refuses
it, see migration 0002): a mistake is corrected by a reversing entry. The balance of a currency is
the sum of its entries; CurrencyBalance keeps that sum in one row per currency so a payment can
lock it (select_for_update) and two payments cannot both spend the same money.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Decision
from circles.models import Circle
from fund.money import DECIMAL_PLACES, MAX_DIGITS, validate_currency
from members.models import Organisation, Person
from patio.i18n import format_money

CURRENCY_RE = r"^[A-Z]{3}$"


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


def currency_field(**kwargs):
    return models.CharField(_("currency"), max_length=3, validators=[validate_currency], **kwargs)


def _currency_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(currency__regex=CURRENCY_RE), name=f"{name}_currency_iso"
    )


class FundSettings(models.Model):
    """One row: how many approvals a claim needs and which circle approves."""

    approvals_needed = models.PositiveSmallIntegerField(
        _("approvals needed"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many members of the finance circle approve a claim before it is paid."),
    )
    finance_circle = models.ForeignKey(
        Circle,
        verbose_name=_("finance circle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_('Its members approve claims. Empty: the circle with the slug "finance".'),
    )

    class Meta:
        verbose_name = _("fund settings")
        verbose_name_plural = _("fund settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(approvals_needed__gte=1), name="fund_approvals_gte_1"
            )
        ]

    def __str__(self) -> str:
        return str(_("Fund settings"))

    @classmethod
    def load(cls) -> FundSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class HourlyRate(models.Model):
    """The fund's rate policy: what an hour of internal work pays, per currency."""

    currency = currency_field(unique=True)
    rate = money_field(_("hourly rate"), validators=[MinValueValidator(Decimal("0.01"))])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hourly rate")
        verbose_name_plural = _("hourly rates")
        ordering = ["currency"]
        constraints = [
            _currency_check("hourlyrate"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="hourlyrate_positive"),
        ]

    def __str__(self) -> str:
        return format_money(self.rate, self.currency)


class Pledge(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("co-op"), on_delete=models.PROTECT, related_name="pledges"
    )
    amount = money_field(_("amount"))
    currency = currency_field()
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    next_due_on = models.DateField(_("next payment due"))
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["next_due_on", "id"]
        constraints = [
            _currency_check("pledge"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.organisation}: {format_money(self.amount, self.currency)}"
            f" ({self.get_frequency_display()})"
        )


class PledgeReminder(models.Model):
    """One row per reminder sent: the database keeps a due or overdue reminder from going twice."""

    class Kind(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)  # claimed to send
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "due_on", "kind"], name="one_pledge_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.kind} {self.due_on}"


class Contribution(models.Model):
    """Money a co-op says it sent. It counts (a ledger entry, the balance, the public page) only
    once a finance approver other than the person who recorded it has confirmed it arrived. A
    finance approver other than the recorder may instead decline it (it never arrived, or was
    recorded wrong), with a reason: a declined contribution never counts."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("contribution status", "Waiting for confirmation")
        CONFIRMED = "confirmed", pgettext_lazy("contribution status", "Confirmed")
        DECLINED = "declined", pgettext_lazy("contribution status", "Declined")

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank", _("Bank transfer")
        CARD = "card", _("Card")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    amount = money_field(_("amount"))
    currency = currency_field()
    received_on = models.DateField(_("date received"))
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, default=Method.BANK_TRANSFER
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    pledge = models.ForeignKey(
        Pledge,
        verbose_name=_("pledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declined by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    # The claim of the email telling the recorder (patio.delivery): set once it is taken.
    decline_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    decline_notice_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-received_on", "-id"]
        constraints = [
            _currency_check("contribution"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "declined"]),
                name="contribution_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined")
                | (Q(declined_at__isnull=False) & ~Q(decline_reason="")),
                name="contribution_declined_has_time_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="contribution_confirmed_has_time",
            ),
            # Four eyes: whoever recorded it never confirms it (NULL, an erased account, passes).
            models.CheckConstraint(
                condition=~Q(confirmed_by=models.F("recorded_by")),
                name="contribution_confirmer_not_recorder",
            ),
            models.CheckConstraint(
                condition=~Q(declined_by=models.F("recorded_by")),
                name="contribution_decliner_not_recorder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {format_money(self.amount, self.currency)}"


class Budget(models.Model):
    circle = models.ForeignKey(
        Circle, verbose_name=_("circle"), on_delete=models.PROTECT, related_name="budgets"
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    currency = currency_field()
    amount = money_field(_("amount"))
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by decision"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-period_start", "circle__name", "currency"]
        constraints = [
            _currency_check("budget"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="budget_period_order"
            ),
            models.UniqueConstraint(
                fields=["circle", "period_start", "currency"], name="one_budget_per_circle_period"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.circle}: {format_money(self.amount, self.currency)}"
            f" ({self.period_start} / {self.period_end})"
        )


class PayoutClaim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("payout claim status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("payout claim status", "Submitted")
        APPROVED = "approved", pgettext_lazy("payout claim status", "Approved")
        PAID = "paid", pgettext_lazy("payout claim status", "Paid")
        REJECTED = "rejected", pgettext_lazy("payout claim status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("payout claim status", "Withdrawn")

    person = models.ForeignKey(
        Person, verbose_name=_("claimant"), on_delete=models.PROTECT, related_name="payout_claims"
    )
    circle = models.ForeignKey(
        Circle, verbose_name=_("circle"), on_delete=models.PROTECT, related_name="payout_claims"
    )
    period_start = models.DateField(_("work from"))
    period_end = models.DateField(_("work until"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    description = models.TextField(_("what you did"), max_length=4000)
    rate = money_field(_("hourly rate"))
    currency = currency_field()
    amount = money_field(_("amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    show_name_publicly = models.BooleanField(
        _("show my name on the public transparency page"),
        default=False,
        help_text=_("Otherwise the public page shows the circle and the amount only."),
    )
    rejection_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("payout claim")
        verbose_name_plural = _("payout claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            _currency_check("payoutclaim"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="claim_hours_positive"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="claim_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"#{self.pk} {self.person}: {format_money(self.amount, self.currency)}"
            f" ({self.get_status_display()})"
        )

    def get_absolute_url(self) -> str:
        return reverse("fund:claim", args=[self.pk])


class ClaimApproval(models.Model):
    claim = models.ForeignKey(PayoutClaim, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("claim approval")
        verbose_name_plural = _("claim approvals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "approver"], name="one_approval_per_approver")
        ]

    def __str__(self) -> str:
        return f"{self.approver} ✓ #{self.claim_id}"


class ImmutableEntry(Exception):
    pass


class LedgerEntry(models.Model):
    """One money movement. Positive amounts come in, negative ones go out."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution received")
        PAYOUT = "payout", _("Payout paid")
        CORRECTION = "correction", _("Correction")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    amount = money_field(_("amount"))
    currency = currency_field(db_index=True)
    occurred_on = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("description"), max_length=300)
    contribution = models.OneToOneField(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    claim = models.OneToOneField(
        PayoutClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # Denormalised from the contribution or claim, for filters and totals without joins.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    circle = models.ForeignKey(
        Circle, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            _currency_check("ledgerentry"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind="contribution")
                | Q(amount__gt=0, contribution__isnull=False, claim__isnull=True),
                name="ledger_contribution_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payout")
                | Q(amount__lt=0, claim__isnull=False, contribution__isnull=True),
                name="ledger_payout_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction")
                | Q(reversal_of__isnull=False, claim__isnull=True, contribution__isnull=True),
                name="ledger_correction_shape",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["contribution", "payout", "correction"]),
                name="ledger_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_on} {self.get_kind_display()}"
            f" {format_money(self.amount, self.currency)}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The stubs type pk as never None; before the first save it is.
        if self.pk is not None and not self._state.adding:  # type: ignore[redundant-expr]
            raise ImmutableEntry("Ledger entries are never changed; record a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("Ledger entries are never deleted; record a reversal instead.")


class CurrencyBalance(models.Model):
    """The sum of a currency's ledger entries, in one row that payments lock."""

    currency = currency_field(unique=True)
    balance = money_field(_("balance"), default=Decimal("0.00"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("currency balance")
        verbose_name_plural = _("currency balances")
        ordering = ["currency"]
        constraints = [_currency_check("currencybalance")]

    def __str__(self) -> str:
        return format_money(self.balance, self.currency)
