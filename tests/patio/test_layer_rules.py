"""A check that enforces itself: pages and the API are doors, the writes are in the services.

Every `views.py` (and `views/` package) and every `api.py` hands its writes to a service: it
never saves, creates, updates or deletes rows, nor opens a transaction or takes a lock, itself.
A write done in a view is a write the API does differently, or not at all. And the API calls a
service only through `patio.api.ServiceCallMixin.call`, the one door that turns a service's
refusal into problem JSON.

The check reads the source with `ast` (nothing is imported, no service is needed) and names each
offence by file and line. Receivers are not typed, so `.update(` on a dict is flagged too: the
few such calls that are no write are in ALLOWED, each with its reason. An entry that no longer
matches anything fails the check, so the list stays short and true.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = frozenset({"tests", "docs", "locale", "static", "templates", "var", "staticfiles"})

# Methods that write rows (or lock them) when a view or the API calls them.
WRITES = frozenset(
    {
        "save",
        "create",
        "delete",
        "update",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "select_for_update",
    }
)

# (path, the call as written): why it is not a write or not a service call.
ALLOWED = {
    # A problem body is a dict being built, not a row.
    ("patio/api.py", "body.update(extra)"),
    # A read that lives beside the services it serves (which consent round is open).
    ("policies/api.py", "services.open_round(amendment)"),
}


def door_modules(root: Path) -> list[Path]:
    """The pages and API modules of every app (and of patio)."""
    found = []
    for top in sorted(root.iterdir()):
        if not top.is_dir() or top.name.startswith(".") or top.name in NOT_CODE:
            continue
        for path in sorted(top.rglob("*.py")):
            if "migrations" in path.parts or ".venv" in path.parts:
                continue
            if path.name in {"views.py", "api.py"} or path.parent.name == "views":
                found.append(path)
    return found


def _is_services_module(module: str) -> bool:
    return module == "services" or module.endswith(".services") or ".services." in module


def service_names(tree: ast.Module) -> set[str]:
    """Names bound to a services module or to something imported from one."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                bound = alias.asname or alias.name
                if _is_services_module(node.module) or alias.name == "services":
                    names.add(bound)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_services_module(alias.name) and alias.asname:
                    names.add(alias.asname)
    return names


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def offences(source: str, relative: str) -> Iterator[tuple[int, str, str]]:
    """(line, the code, what is wrong) for each offence in one module's source."""
    tree = ast.parse(source, relative)
    is_api = Path(relative).name == "api.py"
    services = service_names(tree) if is_api else set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.db.transaction":
            for alias in node.names:
                yield node.lineno, f"from django.db.transaction import {alias.name}", "transaction"
        elif isinstance(node, ast.Attribute) and node.attr in {"atomic", "non_atomic_requests"}:
            yield node.lineno, ast.unparse(node), "transaction"
        elif isinstance(node, ast.Call):
            func = node.func
            code = ast.unparse(node)
            if isinstance(func, ast.Attribute) and func.attr in WRITES:
                yield node.lineno, code, "write"
            elif is_api and (
                (isinstance(func, ast.Name) and func.id in services)
                or (isinstance(func, ast.Attribute) and _root_name(func) in services)
            ):
                yield node.lineno, code, "service called outside self.call"


def _findings(root: Path) -> list[tuple[str, int, str, str]]:
    found = []
    for path in door_modules(root):
        relative = path.relative_to(root).as_posix()
        for line, code, kind in offences(path.read_text(), relative):
            found.append((relative, line, code, kind))
    return found


REASONS = {
    "write": "hand the write to a service of the app",
    "transaction": "a service opens the transaction (@transaction.atomic on the service)",
    "service called outside self.call": "call it as self.call(service, ...)",
}


def test_pages_and_the_api_leave_every_write_to_a_service():
    findings = _findings(ROOT)
    offending = [f for f in findings if (f[0], f[2]) not in ALLOWED]
    report = "\n".join(
        f"{path}:{line}: {code.splitlines()[0]}  ({kind}: {REASONS[kind]})"
        for path, line, code, kind in offending
    )
    assert offending == [], "pages and the API write only through services:\n" + report


def test_every_allowed_exception_still_exists():
    found = {(path, code) for path, _line, code, _kind in _findings(ROOT)}
    assert ALLOWED - found == set(), "remove these from ALLOWED, they are gone"


def test_the_check_reads_the_doors_of_every_app():
    paths = {path.relative_to(ROOT).as_posix() for path in door_modules(ROOT)}
    assert {"members/views.py", "members/api.py", "fund/api.py", "accounts/api.py"} <= paths
    assert "projects/views/teams.py" in paths  # a views package
    assert not any(path.startswith("tests/") for path in paths)


# The check itself, on code written to break the rules --------------------------------------------
def _kinds(source: str, path: str = "shop/views.py") -> list[tuple[int, str]]:
    return [(line, kind) for line, _code, kind in offences(source, path)]


@pytest.mark.parametrize(
    "line",
    [
        "person.save(update_fields=['bio'])",
        "Person.objects.create(display_name='x')",
        "Person.objects.filter(pk=1).update(bio='')",
        "person.delete()",
        "PersonSkill.objects.bulk_create(rows)",
        "Skill.objects.get_or_create(slug='x')",
        "Person.objects.select_for_update().get(pk=1)",
        "form.save()",
    ],
)
def test_the_check_finds_a_write_in_a_view(line):
    assert _kinds(f"def view(request):\n    {line}\n") == [(2, "write")]


def test_the_check_finds_a_transaction_opened_in_a_view():
    source = (
        "from django.db import transaction\n"
        "from django.db.transaction import atomic\n"
        "@transaction.atomic\n"
        "def view(request):\n"
        "    with transaction.atomic():\n"
        "        pass\n"
    )
    assert sorted(_kinds(source)) == [(2, "transaction"), (3, "transaction"), (5, "transaction")]


def test_the_check_finds_a_service_the_api_calls_directly():
    source = (
        "from members import services\n"
        "from projects.services.teams import project_create\n"
        "class ViewSet:\n"
        "    def create(self, request):\n"
        "        self.call(services.person_create, data={})\n"
        "        self.call(project_create, data={})\n"
        "        services.person_skills_replace(actor=request.user, skills=[])\n"
        "        project_create(actor=request.user, data={})\n"
        "        errors = (services.RecordFrozen,)\n"
    )
    assert _kinds(source, "members/api.py") == [
        (7, "service called outside self.call"),
        (8, "service called outside self.call"),
    ]


def test_views_call_services_directly_as_they_should():
    source = (
        "from members import services\n"
        "def view(request):\n"
        "    services.person_update(actor=request.user, person=p, data={})\n"
    )
    assert _kinds(source, "members/views.py") == []
