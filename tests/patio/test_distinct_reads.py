"""A check that enforces itself: a `distinct()` over a few columns reads one row per value.

A model's default ordering joins the DISTINCT: `Organisation.objects.values_list("country")
.distinct()` became `SELECT DISTINCT country, name, id … ORDER BY name, id` and read every co-op
(100,000 rows, 114 ms, at the benchmark's size) to find 26 countries; the assembly reminders did
the same over every person for their time zones. So every `values()`/`values_list()` chain that
ends in `distinct()` in the code clears or sets its ordering with `order_by(…)` first.

The check reads the source with `ast` and names each offence by file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = frozenset({"tests", "docs", "locale", "static", "templates", "var", "staticfiles"})


def _chain(node: ast.AST) -> list[str]:
    """The method names of a call chain, innermost first: `a.order_by().values().distinct()`."""
    names: list[str] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        names.append(node.func.attr)
        node = node.func.value
    return names[::-1]


def _offences() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in NOT_CODE:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            chain = _chain(node)
            if not chain or chain[-1] != "distinct":
                continue
            if {"values", "values_list"} & set(chain) and "order_by" not in chain:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {'.'.join(chain)}")
    return found


def test_every_distinct_read_of_a_few_columns_sets_its_ordering():
    assert _offences() == []


@pytest.mark.django_db
def test_the_country_filter_reads_one_row_per_country(coop, other_coop):
    from django.core.cache import cache

    from members.selectors import network_countries

    cache.delete("members:countries")
    with CaptureQueriesContext(connection) as queries:
        codes = [code for code, _name in network_countries()]
    assert codes == sorted({coop.country.code, other_coop.country.code})
    [query] = queries.captured_queries
    selected = query["sql"].split(" FROM ")[0]
    assert "country" in selected and "name" not in selected and '"id"' not in selected
