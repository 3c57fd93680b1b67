"""The demo seed (a year of books that balance, claims in every state, nothing doubled on a
second run) and pledge reminders (due, then overdue, each sent once to the co-op's admins)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum

from fund import demo, emails, selectors, services
from fund.models import Budget, Contribution, CurrencyBalance, LedgerEntry, PayoutClaim
from members.models import Organisation
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import OrganisationFactory, PersonFactory
from tests.fund.factories import DecisionFactory, contribute

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_network(db):
    coops = [OrganisationFactory(status=Organisation.Status.MEMBER) for _ in range(8)]
    finance = CircleFactory(name="Finance", slug="finance")
    since = datetime.date(2024, 1, 1)
    for i in range(2):
        CircleMembershipFactory(
            circle=finance, person=PersonFactory(organisation=coops[i]), start_date=since
        )
    for slug in demo.BUDGET_CIRCLES:
        circle = CircleFactory(name=slug.title(), slug=slug)
        for i in range(4):
            CircleMembershipFactory(
                circle=circle, person=PersonFactory(organisation=coops[i]), start_date=since
            )
    DecisionFactory()
    return coops


def test_the_demo_has_a_year_of_contributions_budgets_and_claims_in_every_state(demo_network):
    said = []
    demo.seed(say=said.append)
    assert Contribution.objects.count() == 4 * 12
    assert set(Contribution.objects.values_list("currency", flat=True)) == {"EUR", "USD", "GBP"}
    assert Budget.objects.count() == 3
    assert set(PayoutClaim.objects.values_list("status", flat=True)) == set(PayoutClaim.Status)
    sums = dict(LedgerEntry.objects.values_list("currency").annotate(Sum("amount")))
    assert selectors.balances() == sums
    assert dict(CurrencyBalance.objects.values_list("currency", "balance")) == sums
    assert said and "Fund" in said[0]


def test_seeding_twice_adds_nothing(demo_network):
    demo.seed(say=lambda *_: None)
    counts = (
        Contribution.objects.count(),
        LedgerEntry.objects.count(),
        PayoutClaim.objects.count(),
    )
    demo.seed(say=lambda *_: None)
    assert counts == (
        Contribution.objects.count(),
        LedgerEntry.objects.count(),
        PayoutClaim.objects.count(),
    )


def _monthly_pledge(admin, coop):
    """`admin` pledges 40 EUR a month for `coop`, first due on 1 March 2026."""
    return services.pledge_create(
        actor=admin.user,
        organisation=coop,
        amount="40",
        currency="EUR",
        frequency="monthly",
        next_due_on=datetime.date(2026, 3, 1),
    )


def test_a_due_pledge_reminds_the_coop_admins_once(coop, coop_admin, member):
    pledge = _monthly_pledge(coop_admin, coop)
    ids = services.pledge_reminders_due(today=datetime.date(2026, 2, 27))
    assert len(ids) == 1
    assert emails.pledge_reminder_send(reminder_id=ids[0]) == 1
    assert emails.pledge_reminder_send(reminder_id=ids[0]) == 0
    assert services.pledge_reminders_due(today=datetime.date(2026, 2, 28)) == []
    assert [m.to for m in mail.outbox] == [["ana@camplight.coop"]]
    assert "Due soon" in mail.outbox[0].subject and "€40.00" in mail.outbox[0].body
    assert pledge.reminders.count() == 1


def test_an_unpaid_pledge_gets_one_overdue_reminder_and_none_once_paid(coop, coop_admin, approver):
    pledge = _monthly_pledge(coop_admin, coop)
    for reminder_id in services.pledge_reminders_due(today=datetime.date(2026, 3, 20)):
        emails.pledge_reminder_send(reminder_id=reminder_id)
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Due soon", "Overdue"]
    contribute(
        recorder=coop_admin.user,
        confirmer=approver.user,
        organisation=coop,
        amount=Decimal("40"),
        currency="EUR",
        received_on=datetime.date(2026, 3, 20),
        pledge=pledge,
    )
    assert services.pledge_reminders_due(today=datetime.date(2026, 3, 21)) == []


def test_a_coop_admin_who_turned_pledge_reminders_off_gets_none(coop, coop_admin):
    other_admin = PersonFactory(organisation=coop, is_coop_admin=True, user__email="bo@c.coop")
    type(coop_admin).objects.filter(pk=coop_admin.pk).update(
        email_choices={"pledge_reminders": "never"}
    )
    services.pledge_create(
        actor=other_admin.user,
        organisation=coop,
        amount="40",
        currency="EUR",
        frequency="monthly",
        next_due_on=datetime.date(2026, 3, 1),
    )
    (reminder_id,) = services.pledge_reminders_due(today=datetime.date(2026, 2, 27))

    assert emails.pledge_reminder_send(reminder_id=reminder_id) == 1
    assert [m.to for m in mail.outbox] == [["bo@c.coop"]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
