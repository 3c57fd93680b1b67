"""A check that enforces itself: the field lists, rules and fixtures that were copied are one.

Where a form, a serializer and a service each listed the same fields (or two models, two
viewsets, two tests spelled out the same lines), a change to one copy left the others behind.
Each now reads one source. This check reads the files it names as text and fails, with both
places, on any run of RUN or more identical lines that stands twice in them. Lines that say
nothing on their own are passed over: blank lines, comments, lone brackets and imports.

What stays alike on purpose is in ALLOWED, each with its reason; an entry that no longer
matches anything fails the check, so the list stays short and true.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parents[2]
RUN = 6

CHECKED = [
    "assemblies/forms.py",
    "assemblies/models.py",
    "assemblies/serializers.py",
    "assemblies/services.py",
    "circles/serializers.py",
    "circles/services.py",
    "intake/forms.py",
    "intake/serializers.py",
    "members/api.py",
    "members/forms.py",
    "members/search.py",
    "members/serializers.py",
    "patio/migration_ops.py",
    "projects/api.py",
    "projects/forms.py",
    "projects/models.py",
    "projects/serializers.py",
    "projects/services/opportunities.py",
    "projects/services/teams.py",
    "tests/circles/test_api.py",
    "tests/fund/test_api.py",
    "tests/fund/test_demo_and_reminders.py",
    "tests/fund/test_services.py",
    "tests/projects/test_project_queries.py",
    "tests/projects/test_teams_queries.py",
]

# (file, file, first shared line): why the two stay alike.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("members/forms.py", "members/serializers.py", '"short_description",'): (
        "the co-op page's form lists its fields beside the logo upload, which another change "
        "reworks; it reads ORGANISATION_FIELDS once that lands"
    ),
}

_SILENT = re.compile(r"^[\s()\[\]{},:;]*$")


def _lines(path: str, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line number, text with white space folded) of the lines that say something."""
    kept, in_import = [], False
    for number, raw in enumerate((root / path).read_text().splitlines(), 1):
        text = " ".join(raw.split())
        if in_import:
            in_import = not text.startswith(")")
            continue
        if text.startswith(("import ", "from ")):
            in_import = text.endswith("(")
            continue
        if not text or text.startswith("#") or _SILENT.match(text):
            continue
        kept.append((number, text))
    return kept


def _copies(paths: list[str] = CHECKED, root: Path = ROOT) -> list[tuple[str, int, str, int, str]]:
    """Each run of RUN or more lines that stands in two places, once:
    (file, line, file, line, its first line's text)."""
    seen: dict[tuple[str, ...], tuple[str, int, int]] = {}
    windows = []
    for path in paths:
        lines = _lines(path, root)
        for start in range(len(lines) - RUN + 1):
            window = tuple(text for _, text in lines[start : start + RUN])
            first = seen.setdefault(window, (path, start, lines[start][0]))
            other_path, other_start, other_line = first
            if other_path == path and start - other_start < RUN:
                continue  # the first place itself, or a run that repeats a line of itself
            windows.append(
                (other_path, other_start, other_line, path, start, lines[start][0], window[0])
            )
    found, taken = [], set()
    for a, start_a, line_a, b, start_b, line_b, text in windows:
        # A longer run is a chain of windows, each one line on from the last: keep its first.
        if (a, start_a - 1, b, start_b - 1) not in taken:
            found.append((a, line_a, b, line_b, text))
        taken.add((a, start_a, b, start_b))
    return found


def test_the_checked_files_hold_no_copied_run_of_lines():
    copies = [
        f"{a}:{line_a} ~ {b}:{line_b}: {text}"
        for a, line_a, b, line_b, text in _copies()
        if (a, b, text) not in ALLOWED
    ]
    assert not copies, "the same lines stand twice; make them one:\n" + "\n".join(copies)


def test_every_allowed_copy_is_still_there():
    present = {(a, b, text) for a, _, b, _, text in _copies()}
    stale = [key for key in ALLOWED if key not in present]
    assert not stale, f"no longer alike, drop from ALLOWED: {stale}"


def test_the_check_finds_a_copy_and_passes_over_imports(tmp_path):
    shared = "".join(f"    total += {n}\n" for n in range(RUN))
    imports = "from members.models import (\n    Person,\n    Skill,\n    Organisation,\n)\n"
    (tmp_path / "a.py").write_text(f"{imports * 2}def a():\n{shared}")
    (tmp_path / "b.py").write_text(f"{imports}def b():\n    total = 0\n{shared}")
    assert _copies(["a.py", "b.py"], tmp_path) == [("a.py", 12, "b.py", 8, "total += 0")]
