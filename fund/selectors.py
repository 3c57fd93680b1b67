"""Reads of the fund that pages and the API share, each scoped to who is asking."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from fund import permissions
from fund.models import (
    Budget,
    ClaimApproval,
    Contribution,
    CurrencyBalance,
    LedgerEntry,
    PayoutClaim,
    Pledge,
)
from fund.money import quantize
from members.permissions import is_member, person_of
from patio.dates import network_today

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import AnyUser

ZERO = Decimal("0.00")


def balances(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Decimal]:
    """Balance per currency, derived from the entries themselves."""
    rows = (
        LedgerEntry.objects.using(using)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {row["currency"]: quantize(row["total"]) for row in rows}


def backup_figures(using: str) -> dict[str, dict[str, str]]:
    """What a backup's manifest records of the fund (`patio.backup`): each currency's balance
    summed from the ledger, and the locked balance row payments check, both as exact strings."""
    return {
        "ledger": {currency: str(total) for currency, total in balances(using=using).items()},
        "balance_rows": {
            row.currency: str(row.balance) for row in CurrencyBalance.objects.using(using)
        },
    }


def ledger_entries(user: AnyUser | None) -> QuerySet[LedgerEntry]:
    if not permissions.can_view_fund(user):
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.select_related(
        "organisation", "circle", "reversal_of", "claim__person"
    ).annotate(is_reversed=Exists(LedgerEntry.objects.filter(reversal_of=OuterRef("pk"))))


def contributions(user: AnyUser | None) -> QuerySet[Contribution]:
    if not permissions.can_view_fund(user):
        return Contribution.objects.none()
    return Contribution.objects.select_related("organisation", "pledge")


def contributions_to_confirm(user: AnyUser | None) -> QuerySet[Contribution]:
    """Pending contributions this finance approver may confirm: every one they did not record
    themselves, oldest first."""
    if not is_member(user) or not permissions.can_confirm_contributions(user):
        return Contribution.objects.none()
    return (
        Contribution.objects.filter(status=Contribution.Status.PENDING)
        .exclude(recorded_by=user)
        .select_related("organisation", "pledge", "recorded_by")
        .order_by("created_at", "id")
    )


def pledges(user: AnyUser | None) -> QuerySet[Pledge]:
    """All pledges for the finance circle; a co-op admin's own co-op's; nothing for others."""
    qs = Pledge.objects.select_related("organisation")
    if permissions.is_finance(user):
        return qs
    person = person_of(user)
    if person is not None and person.is_coop_admin:
        return qs.filter(organisation_id=person.organisation_id)
    return qs.none()


def budgets(user: AnyUser | None) -> QuerySet[Budget]:
    if not permissions.can_view_fund(user):
        return Budget.objects.none()
    return Budget.objects.select_related("circle", "decision")


class ClaimCounts(TypedDict):
    approval_count: int


def claims(user: AnyUser | None) -> QuerySet[WithAnnotations[PayoutClaim, ClaimCounts]]:
    """Every claim for the finance circle; one's own claims for everyone else."""
    qs = PayoutClaim.objects.select_related("person", "circle").annotate(
        approval_count=Count("approvals")
    )
    if permissions.is_finance(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    return qs.filter(person=person)


def approval_queue(user: AnyUser | None) -> QuerySet[WithAnnotations[PayoutClaim, ClaimCounts]]:
    """Submitted claims this finance member may still approve, and approved ones to pay."""
    if not permissions.is_finance(user):
        return PayoutClaim.objects.annotate(approval_count=Count("approvals")).none()
    person = person_of(user)
    qs = claims(user).filter(status__in=[PayoutClaim.Status.SUBMITTED, PayoutClaim.Status.APPROVED])
    if person is not None:
        qs = qs.exclude(person=person).annotate(
            approved_by_me=Exists(
                ClaimApproval.objects.filter(claim=OuterRef("pk"), approver=person)
            )
        )
    return qs.order_by("submitted_at", "id")


def monthly_in_out(*, months: int = 12, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Per month and currency: money in (positive entries) and out (negative), oldest first."""
    today = today or network_today()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = (
        LedgerEntry.objects.filter(occurred_on__gte=first)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "currency")
        .annotate(
            money_in=Sum("amount", filter=Q(amount__gt=0)),
            money_out=Sum("amount", filter=Q(amount__lt=0)),
        )
        .order_by("month", "currency")
    )
    return [
        {
            "month": row["month"],
            "currency": row["currency"],
            "money_in": quantize(row["money_in"] or ZERO),
            "money_out": quantize(-(row["money_out"] or ZERO)),
        }
        for row in rows
    ]


def budgets_vs_actuals(*, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """This period's budgets, each with what its circle was paid in its currency and period."""
    on = on or network_today()
    current = list(
        Budget.objects.filter(period_start__lte=on, period_end__gte=on).select_related(
            "circle", "decision"
        )
    )
    if not current:
        return []
    start = min(b.period_start for b in current)
    end = max(b.period_end for b in current)
    spent: dict[tuple[int | None, str], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for row in LedgerEntry.objects.filter(
        circle_id__in={b.circle_id for b in current}, occurred_on__range=(start, end)
    ).values_list("circle_id", "currency", "occurred_on", "amount"):
        spent[(row[0], row[1])].append((row[2], row[3]))
    result = []
    for budget in current:
        actual = -sum(
            (
                amount
                for day, amount in spent[(budget.circle_id, budget.currency)]
                if budget.period_start <= day <= budget.period_end
            ),
            ZERO,
        )
        result.append(
            {
                "budget": budget,
                "actual": quantize(actual),
                "remaining": quantize(budget.amount - actual),
                "percent": int(actual * 100 / budget.amount) if budget.amount else 0,
            }
        )
    return result


def public_totals(*, months: int = 12) -> dict[str, Any]:
    """What anyone may see: money in and out per month, payouts per circle, and the names of
    the people who agreed to be named."""
    by_circle = (
        LedgerEntry.objects.filter(circle__isnull=False)  # payouts and their reversals
        .values("circle__name", "currency")
        .annotate(total=Sum("amount"), count=Count("id", filter=Q(kind=LedgerEntry.Kind.PAYOUT)))
        .order_by("circle__name", "currency")
    )
    named = (
        PayoutClaim.objects.filter(status=PayoutClaim.Status.PAID, show_name_publicly=True)
        .select_related("person", "circle")
        .order_by("-paid_at", "-id")[:50]
    )
    return {
        "months": monthly_in_out(months=months),
        "by_circle": [
            {
                "circle": row["circle__name"],
                "currency": row["currency"],
                "total": quantize(-row["total"]),
                "count": row["count"],
            }
            for row in by_circle
        ],
        "named": list(named),
        "balances": balances(),
    }
