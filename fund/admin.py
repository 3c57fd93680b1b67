"""The fund in the admin: settings and rates editable; money rows read-only (the services write
them, with their rules and the audit log)."""

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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundSettings)
class FundSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "approvals_needed", "finance_circle"]


@admin.register(HourlyRate)
class HourlyRateAdmin(admin.ModelAdmin):
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
    list_display = ["received_on", "organisation", "amount", "currency", "method"]
    list_filter = ["currency", "method"]
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
