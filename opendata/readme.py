"""The README.md inside each ZIP, written from the table specs (`opendata.tables`): every file,
how many rows it has, and what every column holds and how to read it. A data document: in
English, whatever language the site is read in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings

from opendata.dcat import LICENCE, LICENCE_NAME, LICENCE_TITLE, page_url
from opendata.models import Dump
from opendata.tables import LIST_SEPARATOR, TABLES, Table

CONVENTIONS = f"""\
- UTF-8, comma-separated, every value in double quotes, lines ending in CRLF (RFC 4180); the
  first line names the columns, in the order the tables below give them.
- An empty cell means there is no value.
- Dates are ISO 8601 (`2026-12-01`); times are ISO 8601 in UTC (`2026-12-01T09:30:00Z`).
- Lists of identifiers are separated by `{LIST_SEPARATOR}` (`software{LIST_SEPARATOR}design`); lists of
  phrases have one item per line inside the cell.
- Amounts are decimal numbers with a dot (`1234.50`), in the currency the row names.
- A text that begins with `=`, `+`, `-`, `@`, a tab or a line break is written with one `'`
  in front, so that spreadsheets do not run it as a formula: drop that first `'` to read the
  text as it was written. Numbers are never changed.
- Files point at each other by identifier: the `coop` of people.csv is the `slug` of a row of
  coops.csv, the `person_id` of person_skills.csv the `id` of a row of people.csv, and so on.
"""


def _cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table_section(table: Table, rows: int) -> list[str]:
    lines = [
        f"## {table.file_name}: {table.title}",
        "",
        table.description,
        "",
        f"Rows: {rows}.",
        "",
        "| Column | What it holds | How to read it |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{column.name}` | {_cell(column.meaning)} | {_cell(column.reading)} |"
        for column in table.columns
    ]
    return [*lines, ""]


def readme(dump: Dump, counts: Mapping[str, int], *, graph_name: str, graph_url: str) -> str:
    at = dump.created_at.astimezone(dt.UTC)
    lines = [
        f"# {settings.SITE_NAME} open data, {dump.day.isoformat()} (version {dump.version})",
        "",
        f"The public records of the {settings.SITE_NAME} network of worker co-ops as they "
        f"stood at {at:%Y-%m-%d %H:%M} UTC: everything a visitor to {settings.SITE_URL} may "
        "read, and nothing more. Co-ops that left the network are kept as tombstones; people "
        "appear only with a public profile, and their contact details only where they made "
        "them public.",
        "",
        f"Licence: {LICENCE_TITLE} ({LICENCE_NAME}), {LICENCE}. Credit “{settings.SITE_NAME} "
        f"open data, {page_url()}” and say if you changed the data.",
        "",
        "## Files",
        "",
        "| File | Rows | What it holds |",
        "|---|---|---|",
    ]
    lines += [
        f"| {table.file_name} | {counts[table.name]} | {_cell(table.title)} |" for table in TABLES
    ]
    lines += [
        "| dcat.jsonld | | The DCAT 3 description of these files: their sizes in bytes and "
        "SHA-256 checksums, the licence and the dates. |",
        "| README.md | | This file. |",
        "",
        f"The same records as one JSON-LD graph in the schema.org vocabulary: {graph_name}, "
        f"at {graph_url}. Earlier dumps, and this one, are listed at {page_url()}.",
        "",
        "## How to read the CSV files",
        "",
        CONVENTIONS,
    ]
    for table in TABLES:
        lines += _table_section(table, counts[table.name])
    return "\n".join(lines)
