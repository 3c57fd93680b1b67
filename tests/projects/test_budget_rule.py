"""A budget is a positive amount or nothing, in the database as in the service: a job paid
"0" would read as unpaid work, and no write path (the admin, a script, a bulk update) may
store one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from projects.models import MAX_BUDGET, Opportunity
from tests.projects.factories import OpportunityFactory

BEFORE = [("projects", "0008_merge_budget_above_zero_updated_at")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "budget", [Decimal("0"), Decimal("-5"), MAX_BUDGET + Decimal("0.01")], ids=str
)
def test_the_database_refuses_a_budget_the_service_refuses(budget):
    opportunity = OpportunityFactory(budget=Decimal("1200.00"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(budget=budget)

    opportunity.refresh_from_db()
    assert opportunity.budget == Decimal("1200.00")


@pytest.mark.django_db(transaction=True)
def test_zero_budgets_saved_before_the_rule_become_no_budget():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        circle = old.get_model("circles", "Circle").objects.create(name="Jobs", slug="jobs")
        Old = old.get_model("projects", "Opportunity")
        zero = Old.objects.create(circle=circle, title="Unpaid?", budget=Decimal("0"))
        paid = Old.objects.create(circle=circle, title="Paid", budget=Decimal("900.00"))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert Opportunity.objects.get(pk=zero.pk).budget is None
    assert Opportunity.objects.get(pk=paid.pk).budget == Decimal("900.00")
