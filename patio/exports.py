"""CSV files people open in a spreadsheet: every field quoted, and no cell a spreadsheet would
run as a formula (OWASP's CSV injection rule), whatever the delimiter.

    writer = csv_writer()
    yield writer.writerow(["id", "description"])
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    """A text cell that would start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written, for streaming rows one by one."""

    def write(self, value: str) -> str:
        return value


class SafeWriter:
    def __init__(self, delimiter: str = ",") -> None:
        self._writer = csv.writer(_Echo(), delimiter=delimiter, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> str:
        return str(self._writer.writerow([neutralise(cell) for cell in row]))


def csv_writer(delimiter: str = ",") -> SafeWriter:
    return SafeWriter(delimiter)
