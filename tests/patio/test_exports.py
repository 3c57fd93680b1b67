"""CSV exports are safe to open in a spreadsheet (pure: no services needed)."""

from __future__ import annotations

import csv
import io

import pytest

from patio.exports import csv_writer

pytestmark = pytest.mark.pure


def _cells(line: str, delimiter: str = ",") -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=delimiter))


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_starts_a_formula(dangerous, delimiter):
    line = csv_writer(delimiter).writerow(["Facttic", dangerous])

    assert _cells(line, delimiter) == ["Facttic", "'" + dangerous]


def test_every_field_is_quoted():
    line = csv_writer().writerow([7, "2026-12-02", "Camplight, Sofia", 12.5])

    assert line == '"7","2026-12-02","Camplight, Sofia","12.5"\r\n'


def test_ordinary_text_and_negative_numbers_stay_as_they_are():
    line = csv_writer().writerow(["a-b", -12.5, "Cooperativa 1º de Mayo"])

    assert _cells(line) == ["a-b", "-12.5", "Cooperativa 1º de Mayo"]
