"""Every message the code and templates mark for translation is in the catalogues.

test_translations.py checks that each catalogue is complete, but only for the messages it holds:
a string added to a template after the last `make messages` is missing from every catalogue and
is shown in English to everyone, with that test still green. Here GNU gettext gathers the
messages from a copy of the source (as `make messages` does, with the Makefile's ignores), and
every one of them must already be translated in the Spanish catalogue (the others are held to
the same set by test_translations.py, which compares each catalogue's entries)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.patio.test_translations import read_po, translated_forms

ROOT = Path(settings.BASE_DIR)
# What `make messages` skips (MESSAGE_IGNORES in the Makefile), and what no message lives in.
SKIPPED = {
    ".git",
    ".venv",
    ".tools",
    "var",
    "staticfiles",
    "benchmarks",
    "tests",
    "scripts",
    "node_modules",
    "__pycache__",
    "docs",
    ".ruff_cache",
    ".mypy_cache",
    ".pytest_cache",
}


def makefile_ignores() -> list[str]:
    line = next(
        line
        for line in (ROOT / "Makefile").read_text().splitlines()
        if line.startswith("MESSAGE_IGNORES")
    )
    return re.findall(r"--ignore=\S+", line)


def gathered_messages(tmp_path: Path, language: str) -> list[dict]:
    """The catalogue `make messages` would leave for `language`: the current one merged with what
    the source marks now (in a copy, so the repository's catalogue is untouched)."""
    copy = tmp_path / "source"
    shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in SKIPPED])
    locale = language.replace("-", "_")
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        locale,
        "--no-obsolete",
        *makefile_ignores(),
    ]
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return read_po(copy / "locale" / locale / "LC_MESSAGES" / "django.po")


def test_every_message_in_the_source_is_in_the_catalogues(tmp_path):
    assert shutil.which("xgettext"), (
        "GNU gettext is missing: make test installs it (Debian's gettext)"
    )

    entries = gathered_messages(tmp_path, "es")

    missing = [
        entry["msgid"]
        for entry in entries
        if entry.get("msgid") and ("fuzzy" in entry["flags"] or not all(translated_forms(entry)))
    ]
    assert not missing, (
        f"{len(missing)} messages of the source are not in the catalogues (run `make messages` "
        f"and translate them): {missing[:20]}"
    )
