"""The fund in the admin: read-only, settings and rates included. The services write every row
with their rules and the audit log; the approval rule, the finance circle and the hourly rates
change on the fund's pages (after re-authentication), never here."""

from django.contrib import admin

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
)
from patio.admin import ReadOnlyAdmin


@admin.register(FundSettings)
class FundSettingsAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "approvals_needed", "finance_circle"]


@admin.register(HourlyRate)
class HourlyRateAdmin(ReadOnlyAdmin):
    list_display = ["currency", "rate", "updated_at"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "kind", "amount", "currency", "description", "reversal_of"]
    list_filter = ["kind", "currency"]
    list_select_related = ["reversal_of"]
    search_fields = ["description"]


@admin.register(CurrencyBalance)
class CurrencyBalanceAdmin(ReadOnlyAdmin):
    list_display = ["currency", "balance", "updated_at"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "organisation", "amount", "currency", "method", "status"]
    list_filter = ["status", "currency", "method"]
    list_select_related = ["organisation"]


@admin.register(PayoutClaim)
class PayoutClaimAdmin(ReadOnlyAdmin):
    list_display = ["pk", "person", "circle", "hours", "amount", "currency", "status"]
    list_filter = ["status", "currency"]
    list_select_related = ["person", "circle"]


@admin.register(ClaimApproval)
class ClaimApprovalAdmin(ReadOnlyAdmin):
    list_display = ["claim", "approver", "created_at"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "amount", "currency", "frequency", "next_due_on", "active"]
    list_select_related = ["organisation"]


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["circle", "period_start", "period_end", "amount", "currency"]
    list_select_related = ["circle"]
