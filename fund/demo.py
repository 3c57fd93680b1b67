"""Demo data for the fund: a year of confirmed contributions from about half the member co-ops
in three currencies, a few recorded by a co-op admin and waiting for a finance approver to
confirm them, budgets for three circles, and claims in every state.

Idempotent: a second run finds the demo contributions and adds nothing. The rows are written in
bulk (about 600 contributions), then each currency's balance row is set to the sum of its
entries, so the books balance exactly as the services would leave them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from assemblies.models import Decision
from circles.models import Circle, CircleMembership
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
from fund.money import claim_amount
from members.models import Organisation, Person
from patio.dates import network_today

DEMO_NOTE = "Demo: monthly contribution"
PENDING_NOTE = "Demo: transfer sent, waiting for confirmation"
PENDING_AMOUNTS = [Decimal("120.00"), Decimal("75.50"), Decimal("300.00")]
RATES = {"EUR": Decimal("25.00"), "USD": Decimal("28.00"), "GBP": Decimal("22.00")}
CURRENCIES = list(RATES)
BUDGET_CIRCLES = ["communication", "tech-infrastructure", "education"]
Status = PayoutClaim.Status


def _months_back(today: datetime.date, n: int) -> datetime.date:
    month_index = today.year * 12 + today.month - 1 - n
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


CLAIM_STATES = [
    Status.PAID,
    Status.PAID,
    Status.PAID,
    Status.APPROVED,
    Status.SUBMITTED,
    Status.SUBMITTED,
    Status.DRAFT,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.PAID,
    Status.APPROVED,
    Status.DRAFT,
]


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    if Contribution.objects.filter(note=DEMO_NOTE).exists():
        say("Fund: demo data already present.")
        return
    today = network_today()
    FundSettings.load()
    for currency, rate in RATES.items():
        HourlyRate.objects.get_or_create(currency=currency, defaults={"rate": rate})

    coops = list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("id").only("id")
    )[::2]
    contributions = _contributions(coops, today)
    entries = [_contribution_entry(c) for c in contributions]
    pending = _pending_contributions(today)
    _pledges(coops, today)
    _budgets(today, say=say)
    claims_made, payouts = _claims(today)
    LedgerEntry.objects.bulk_create([*entries, *payouts], batch_size=500)
    for row in LedgerEntry.objects.values("currency").annotate(total=Sum("amount")):
        CurrencyBalance.objects.update_or_create(
            currency=row["currency"], defaults={"balance": row["total"]}
        )
    say(
        f"Fund: {len(contributions)} contributions from {len(coops)} co-ops "
        f"({len(pending)} waiting for confirmation), "
        f"{claims_made} claims, {Budget.objects.count()} budgets."
    )


def _contributions(coops: list[Organisation], today: datetime.date) -> list[Contribution]:
    """A year of monthly contributions from each co-op, in one of three currencies."""
    contributions = []
    for i, coop in enumerate(coops):
        currency = CURRENCIES[i % 3]
        monthly = Decimal(50 + (i * 37) % 400) + Decimal(i % 100) / 100
        for n in range(12, 0, -1):
            day = _months_back(today, n) + datetime.timedelta(days=(i % 20))
            contributions.append(
                Contribution(
                    organisation_id=coop.id,
                    amount=monthly,
                    currency=currency,
                    received_on=day,
                    method=Contribution.Method.BANK_TRANSFER,
                    note=DEMO_NOTE,
                    # Confirmed when it arrived, by finance members from before the platform.
                    status=Contribution.Status.CONFIRMED,
                    confirmed_at=datetime.datetime.combine(day, datetime.time(12), datetime.UTC),
                )
            )
    return Contribution.objects.bulk_create(contributions, batch_size=500)


def _pending_contributions(today: datetime.date) -> list[Contribution]:
    """A few transfers a co-op admin recorded this week: a finance approver other than them
    confirms each (they count in the balance only then)."""
    admin = (
        Person.objects.filter(
            is_coop_admin=True,
            user__isnull=False,
            organisation__status=Organisation.Status.MEMBER,
        )
        .order_by("id")
        .first()
    )
    if admin is None:
        return []
    return Contribution.objects.bulk_create(
        [
            Contribution(
                organisation_id=admin.organisation_id,
                amount=amount,
                currency="EUR",
                received_on=today - datetime.timedelta(days=1 + n),
                method=Contribution.Method.BANK_TRANSFER,
                note=PENDING_NOTE,
                recorded_by_id=admin.user_id,
                status=Contribution.Status.PENDING,
            )
            for n, amount in enumerate(PENDING_AMOUNTS)
        ]
    )


def _contribution_entry(contribution: Contribution) -> LedgerEntry:
    return LedgerEntry(
        kind=LedgerEntry.Kind.CONTRIBUTION,
        amount=contribution.amount,
        currency=contribution.currency,
        occurred_on=contribution.received_on,
        contribution_id=contribution.pk,
        organisation_id=contribution.organisation_id,
        description="Contribution",
    )


def _pledges(coops: list[Organisation], today: datetime.date) -> None:
    for coop, currency in zip(coops[:6], CURRENCIES * 2, strict=False):
        Pledge.objects.create(
            organisation_id=coop.id,
            amount=Decimal("100.00"),
            currency=currency,
            frequency=Pledge.Frequency.MONTHLY,
            next_due_on=today.replace(day=1) + datetime.timedelta(days=32),
        )


def _budgets(today: datetime.date, *, say: Callable[[str], None]) -> None:
    """This quarter's budgets of three circles, adopted by the demo assembly's decision."""
    circles = {c.slug: c for c in Circle.objects.filter(slug__in=[*BUDGET_CIRCLES, "finance"])}
    decision = Decision.objects.filter(outcome=Decision.Outcome.ADOPTED).order_by("id").first()
    quarter_start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    quarter_end = _months_back(quarter_start, -3) - datetime.timedelta(days=1)
    if decision is None:
        say("Fund: no adopted decision yet, so no budgets.")
        return
    for slug, amount in zip(BUDGET_CIRCLES, ["3000", "4500", "2000"], strict=True):
        if slug in circles:
            Budget.objects.get_or_create(
                circle=circles[slug],
                period_start=quarter_start,
                currency="EUR",
                defaults={
                    "period_end": quarter_end,
                    "amount": Decimal(amount),
                    "decision": decision,
                },
            )


def _claims(today: datetime.date) -> tuple[int, list[LedgerEntry]]:
    """Claims of circle members in every state, with their approvals; returns how many were
    made and the ledger entries of the paid ones (for the caller to write)."""
    finance = CircleMembership.objects.current().filter(circle__slug="finance")
    # The past approvals come from finance members without an account first, so the demo
    # accounts in the circle (README) still have claims to approve themselves.
    approvers = list(
        finance.order_by(F("person__user").asc(nulls_first=True), "id").values_list(
            "person_id", flat=True
        )[:2]
    )
    workers = list(
        CircleMembership.objects.current()
        .filter(circle__slug__in=[*BUDGET_CIRCLES, "job-opportunities"])
        .exclude(person_id__in=finance.values("person_id"))
        .order_by("id")
        .values_list("person_id", "circle_id")[:12]
    )
    now = timezone.now()
    payouts = []
    claims_made = submitted_seen = 0
    for i, ((person_id, circle_id), status) in enumerate(zip(workers, CLAIM_STATES, strict=False)):
        if len(approvers) < 2 and status in {Status.APPROVED, Status.PAID}:
            status = Status.SUBMITTED
        claim = _claim(i, person_id, circle_id, status, today=today, now=now)
        claims_made += 1
        # The first submitted claim has one approval of two, the next none yet: two demo
        # accounts of the finance circle approve it, then the admin pays it.
        submitted_seen += status == Status.SUBMITTED
        given = {
            Status.SUBMITTED: approvers[:1] if submitted_seen == 1 else [],
            Status.APPROVED: approvers,
            Status.PAID: approvers,
        }.get(status, [])
        ClaimApproval.objects.bulk_create(
            [ClaimApproval(claim=claim, approver_id=pid) for pid in given]
        )
        if status == Status.PAID:
            payouts.append(
                LedgerEntry(
                    kind=LedgerEntry.Kind.PAYOUT,
                    amount=-claim.amount,
                    currency=claim.currency,
                    occurred_on=min(
                        today, _months_back(claim.period_start, -1) + datetime.timedelta(days=5)
                    ),
                    claim=claim,
                    circle_id=circle_id,
                    description="Payout for internal work",
                )
            )
    return claims_made, payouts


def _claim(
    i: int,
    person_id: int,
    circle_id: int,
    status: str,
    *,
    today: datetime.date,
    now: datetime.datetime,
) -> PayoutClaim:
    """The i-th demo claim: a month of internal work one to three months ago."""
    currency = "EUR" if i % 3 else CURRENCIES[i % 3]
    start = _months_back(today, 1 + i % 3)
    hours = Decimal(6 + (i * 5) % 20)
    # Submitted a few days after the period ended, decided a few days later.
    submitted = min(
        now - datetime.timedelta(hours=3 + i * 7),
        datetime.datetime.combine(
            _months_back(start, -1) + datetime.timedelta(days=2 + i % 5),
            datetime.time(9 + i % 8, 15 * (i % 4)),
            datetime.UTC,
        ),
    )
    decided = min(now - datetime.timedelta(hours=1), submitted + datetime.timedelta(days=3))
    return PayoutClaim.objects.create(
        person_id=person_id,
        circle_id=circle_id,
        period_start=start,
        period_end=_months_back(start, -1) - datetime.timedelta(days=1),
        hours=hours,
        description="Demo: newsletter, meeting notes and follow-ups.",
        rate=RATES[currency],
        currency=currency,
        amount=claim_amount(hours, RATES[currency]),
        status=status,
        show_name_publicly=i % 2 == 0,
        submitted_at=None if status == Status.DRAFT else submitted,
        decided_at=decided if status in {Status.APPROVED, Status.PAID, Status.REJECTED} else None,
        paid_at=decided if status == Status.PAID else None,
        rejection_reason="Outside this quarter's budget." if status == Status.REJECTED else "",
    )
