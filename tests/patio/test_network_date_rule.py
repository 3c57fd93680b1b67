"""A check that enforces itself: app code dates things on the network's calendar.

`timezone.localdate()` without a moment reads the reader's zone, and `now().date()` or
`date.today()` read the server's; either makes a membership, due date or round start on a
different day for a coordinator in Tokyo than for one in Bogotá. `patio.dates.network_today()` is
the one place that says what today is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.pure

APPS = [
    "accounts",
    "assemblies",
    "audit",
    "circles",
    "fund",
    "intake",
    "members",
    "patio",
    "policies",
    "projects",
]


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call | ast.Attribute):
            continue
        text = ast.unparse(node)
        if isinstance(node, ast.Call) and text in {
            "timezone.localdate()",
            "date.today()",
            "datetime.date.today()",
            "timezone.now().date()",
        }:
            found.append(f"{path}:{node.lineno}: {text}")
        if isinstance(node, ast.Attribute) and text == "timezone.localdate":
            # Called or passed as a field default, it reads the reader's zone.
            found.append(f"{path}:{node.lineno}: {text}")
    return found


def test_app_code_reads_today_only_through_the_network_date():
    base = Path(settings.BASE_DIR)
    offences = [
        offence
        for app in APPS
        for path in sorted((base / app).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "dates.py"
        for offence in _offences(path)
    ]
    assert offences == [], "use patio.dates.network_today():\n" + "\n".join(offences)
