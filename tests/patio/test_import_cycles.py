"""No import cycles among our own modules.

In a cycle, a module can be read while it is still half loaded: the code works or fails with the
order of imports, and nobody can say which part stands on which. The check reads the source with
`ast` (nothing is imported, no service is needed) and follows the imports that run when a module
loads: at module level, in a class body, or under a module-level `if`, `try` or `with`. Importing
`a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first, so those count too. Imports inside a
function run later and are not followed, nor are those under `if TYPE_CHECKING:`, which never
run. The tests are left out: nothing imports them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parents[2]
# Folders of the repository that hold no first-party code, or only the suite.
NOT_CODE = frozenset({"tests", "docs", "locale", "static", "templates", "var", "staticfiles"})

Graph = dict[str, list["Edge"]]


@dataclass(frozen=True)
class Edge:
    target: str
    line: int


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def first_party_modules(root: Path) -> dict[str, Path]:
    """Every module of the repository: the apps, patio, scripts, benchmarks and manage.py."""
    modules = {_module_name(root, path): path for path in sorted(root.glob("*.py"))}
    for top in sorted(root.iterdir()):
        if top.is_dir() and not top.name.startswith(".") and top.name not in NOT_CODE:
            for path in sorted(top.rglob("*.py")):
                modules[_module_name(root, path)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def load_time_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of `body` that run when the module loads."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from load_time_imports(node.body)
            yield from load_time_imports(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            for block in (node.body, node.orelse, node.finalbody):
                yield from load_time_imports(block)
            for handler in node.handlers:
                yield from load_time_imports(handler.body)
        elif isinstance(node, ast.ClassDef | ast.With | ast.AsyncWith):
            yield from load_time_imports(node.body)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            yield from load_time_imports(node.body)
            yield from load_time_imports(node.orelse)


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The module a `from … import` reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def _loaded_by(target: str, importer: str) -> list[str]:
    """What importing `target` runs: each package above it, then itself. The packages the
    importer sits in have already started loading, so they add nothing."""
    parts = target.split(".")
    chain = [".".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return [name for name in chain if importer != name and not importer.startswith(name + ".")]


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Edge]:
    """The first-party modules that loading `module` loads, each with the line importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    edges: dict[str, Edge] = {}
    for node in load_time_imports(tree.body):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = _absolute(module, path, node)
            # `from a import b` loads the module a.b when there is one, else reads a name of a.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            for loaded in _loaded_by(target, module):
                if loaded in modules and loaded not in edges:
                    edges[loaded] = Edge(loaded, node.lineno)
    return list(edges.values())


def import_graph(root: Path) -> Graph:
    modules = first_party_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> Iterator[Edge]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(graph[node])

    for root in graph:
        if root in index:
            continue
        work = [(root, visit(root))]
        while work:
            node, edges = work[-1]
            for edge in edges:
                if edge.target not in index:
                    work.append((edge.target, visit(edge.target)))
                    break
                if edge.target in on_stack:
                    low[node] = min(low[node], index[edge.target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while not group or group[-1] != node:
                        group.append(stack.pop())
                        on_stack.discard(group[-1])
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def shortest_cycle(graph: Graph, group: list[str]) -> list[tuple[str, int]]:
    """The shortest way round from the group's first module: [(module, line of its import)]."""
    start, inside = group[0], set(group)
    came_from: dict[str, tuple[str, int]] = {}
    frontier = [start]
    while start not in came_from:  # the group is strongly connected: the way round exists
        following = []
        for node in frontier:
            for edge in graph[node]:
                if edge.target in inside and edge.target not in came_from:
                    came_from[edge.target] = (node, edge.line)
                    following.append(edge.target)
        frontier = following
    steps = [came_from[start]]
    while steps[-1][0] != start:
        steps.append(came_from[steps[-1][0]])
    return steps[::-1]


def describe(graph: Graph, group: list[str]) -> str:
    steps = shortest_cycle(graph, group)
    lines = [
        f"  {module}, line {line}, imports {steps[(i + 1) % len(steps)][0]}"
        for i, (module, line) in enumerate(steps)
    ]
    return f"a cycle among {', '.join(group)}:\n" + "\n".join(lines)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_a_cycle_through_a_package_init_is_found_and_shown(tmp_path):
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            # The package re-exports a module that queues a task; the task module reads another
            # module of the package, which runs the package first: a cycle through __init__.
            "app/services/__init__.py": "from app.services.queue import ask\n",
            "app/services/queue.py": "from app import tasks\n\n\ndef ask():\n    pass\n",
            "app/services/work.py": "def do():\n    pass\n",
            "app/tasks.py": "import datetime\n\nfrom app.services.work import do\n",
        },
    )
    graph = import_graph(tmp_path)
    [group] = cycles(graph)
    assert group == ["app.services", "app.services.queue", "app.tasks"]
    assert describe(graph, group).splitlines() == [
        "a cycle among app.services, app.services.queue, app.tasks:",
        "  app.services, line 1, imports app.services.queue",
        "  app.services.queue, line 1, imports app.tasks",
        "  app.tasks, line 3, imports app.services",
    ]


def test_imports_in_functions_or_for_type_checking_only_make_no_cycle(tmp_path):
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": "from app import services\n",
            "app/services.py": (
                "from typing import TYPE_CHECKING\n\n"
                "if TYPE_CHECKING:\n    from app.models import Row\n\n\n"
                "def save():\n    from app import models\n"
            ),
            "app/views.py": "from .models import *\nfrom . import services\n",
        },
    )
    graph = import_graph(tmp_path)
    assert cycles(graph) == []
    assert [edge.target for edge in graph["app.views"]] == ["app.models", "app.services"]


def test_our_modules_import_each_other_without_cycles():
    graph = import_graph(ROOT)
    assert {"projects.models", "patio.settings", "manage"} <= set(graph)  # the walk found the code
    found = [describe(graph, group) for group in cycles(graph)]
    assert not found, "Import cycles (a module-level import in each step):\n" + "\n".join(found)
