"""CSV files people open in a spreadsheet: every field quoted, and no cell a spreadsheet would
run as a formula (OWASP's CSV injection rule), whatever the delimiter.

    writer = csv_writer()
    yield writer.writerow(["id", "description"])

A download a page offers is `csv_download(rows, header=…, name=…)`: streamed row by row (the
caller hands an iterator, such as a queryset's `.iterator(chunk_size=…)`), UTF-8 with a byte
order mark so that Excel reads the accents and scripts of every language, and named after what
it holds and the day (`download_name`).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from patio.dates import network_today

# Excel takes a CSV file without it for the computer's legacy code page: "Núñez" would open as
# "NÃºÃ±ez", and Japanese or Russian names as noise. Python (`utf-8-sig`), pandas, R and
# LibreOffice all read it as the mark it is.
BOM = "\ufeff"
# A file name says what it holds, not every filter's value: long enough to tell two apart.
NAME_MAX = 100

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


def utc(moment: datetime.datetime | None) -> str:
    """An instant as ISO 8601 in UTC, to the second: `2026-10-01T15:00:00Z`."""
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: datetime.date | None) -> str:
    return value.isoformat() if value is not None else ""


def listed(values: Iterable[Any]) -> str:
    """Several values in one cell, `; ` between them (a comma would read as the delimiter to a
    person, though the quoting keeps it apart for a program)."""
    return "; ".join(str(value) for value in values)


def download_name(what: str, filters: Sequence[tuple[str, Sequence[str]]]) -> str:
    """`patio-coops-country-ar-es-2026-10-01.csv`: what, the filters that are set, the day."""
    parts = [what]
    for name, values in filters:
        chosen = [slugify(value) for value in values if value not in ("", None)]
        chosen = [value for value in chosen if value]
        if chosen:
            parts.append(slugify(name) + "-" + "-".join(chosen))
    stem = "-".join(parts)[:NAME_MAX].rstrip("-")
    return f"patio-{stem}-{network_today().isoformat()}.csv"


def csv_download(
    rows: Iterable[Iterable[Any]], *, header: Sequence[str], name: str, delimiter: str = ","
) -> StreamingHttpResponse:
    """A CSV attachment written as it is read: the header, then each row as `rows` yields it, so
    a million rows never sit in memory at once."""
    writer = csv_writer(delimiter)

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
