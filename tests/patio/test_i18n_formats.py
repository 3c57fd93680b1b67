"""Dates, times, numbers and money read the way the reader writes them (CLDR, through Babel), in
the reader's zone, and always saying which zone; no template falls back to Django's US-style
formats."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

OCTOBER_FIRST = dt.datetime(2026, 10, 1, 12, 5, tzinfo=dt.UTC)
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def render(source: str, language: str, zone: dt.tzinfo = MADRID, **context) -> str:
    with translation.override(language), timezone.override(zone):
        return Template("{% load patio %}" + source).render(Context(context))


@pytest.mark.pure
@pytest.mark.parametrize(
    ("language", "long_day", "medium_day"),
    [
        ("en", "October 1, 2026", "Oct 1, 2026"),
        ("es", "1 de octubre de 2026", "1 oct 2026"),
        ("ru", "1 октября 2026\u202fг.", "1 окт. 2026\u202fг."),
        ("ja", "2026年10月1日", "2026/10/01"),
    ],
)
def test_a_day_is_written_as_the_reader_writes_it(language, long_day, medium_day):
    assert render("{{ d|day }}", language, d=OCTOBER_FIRST.date()) == long_day
    assert render("{{ d|short_day }}", language, d=OCTOBER_FIRST.date()) == medium_day


@pytest.mark.pure
def test_a_moment_is_shown_in_the_readers_zone_and_names_it():
    moment = render("{{ m|moment }}", "en", m=OCTOBER_FIRST)
    assert moment == "October 1, 2026, 2:05\u202fPM (Europe/Madrid)"
    moment = render("{{ m|moment }}", "es", m=OCTOBER_FIRST)
    assert moment == "1 de octubre de 2026, 14:05 (Europe/Madrid)"
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert (
        render("{{ m|moment }}", "ja", tokyo, m=OCTOBER_FIRST) == "2026年10月1日 21:05 (Asia/Tokyo)"
    )
    table = render("{{ m|moment:'medium' }}", "ja", tokyo, m=OCTOBER_FIRST)
    assert table == "2026/10/01 21:05 (Asia/Tokyo)"
    # late evening in UTC is already the next day further east
    late = dt.datetime(2026, 10, 1, 22, 30, tzinfo=dt.UTC)
    assert render("{{ m|day }}", "en", tokyo, m=late) == "October 2, 2026"
    assert (
        render("{{ m|utc_moment }}", "en", tokyo, m=late) == "October 1, 2026, 10:30\u202fPM (UTC)"
    )
    assert render("{{ m|time_of_day }}", "ru", m=OCTOBER_FIRST) == "14:05 (Europe/Madrid)"


@pytest.mark.pure
def test_english_dates_are_never_the_ambiguous_numeric_kind():
    numeric = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
    for filter_name in ["day", "short_day", "moment", "utc_moment", "weekday_day", "month"]:
        shown = render(f"{{{{ m|{filter_name} }}}}", "en", m=OCTOBER_FIRST)
        assert shown and not numeric.search(shown), (filter_name, shown)


@pytest.mark.pure
@pytest.mark.parametrize(
    ("language", "money", "number"),
    [
        ("en", "€1,234.50", "1,234.5"),
        ("es", "1.234,50\xa0€", "1.234,5"),
        ("ru", "1\xa0234,50\xa0€", "1\xa0234,5"),
        ("ja", "€1,234.50", "1,234.5"),
    ],
)
def test_money_and_numbers_follow_the_locale(language, money, number):
    assert render("{{ a|money:'EUR' }}", language, a=Decimal("1234.50")) == money
    assert render("{{ a|number }}", language, a=Decimal("1234.5")) == number


@pytest.mark.pure
def test_every_site_language_formats_a_day():
    for code, _name in settings.LANGUAGES:
        shown = render("{{ d|day }}", code, d=OCTOBER_FIRST.date())
        assert "2026" in shown and shown != "2026-10-01", code


# Machine formats (an ISO date for <time datetime>) are fine; what people read goes through the
# patio filters above.
# Machine formats; the last is ISO 8601 in whole seconds, UTC, which HTML's <time datetime>
# accepts (it refuses the six digits of microseconds that "c" may give).
# ISO 8601 for machines: a `datetime` attribute, in UTC or with the reader's offset.
MACHINE_FORMAT = {"c", "Y-m-d", "U", r"Y-m-d\TH:i:s\Z", r"Y-m-d\TH:i:sO"}
DJANGO_FORMAT = re.compile(r"\|(date|time)(?!\w)(?::(?:\"([^\"]*)\"|'([^']*)'))?")


@pytest.mark.pure
def test_no_template_formats_what_people_read_with_djangos_date_filters():
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in sorted(base.glob("**/templates/**/*")):
        if ".venv" in path.parts or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DJANGO_FORMAT.finditer(line):
                argument = match[2] if match[2] is not None else match[3]
                if argument not in MACHINE_FORMAT:
                    offenders.append(f"{path.relative_to(base)}:{number}: {match[0]}")
            # |utc then a reader's filter would be turned back into the reader's zone: the
            # utc_moment and utc_clock filters say UTC and mean it
            offenders.extend(
                f"{path.relative_to(base)}:{number}: {found}"
                for found in re.findall(r"\|utc\|(?!date)\w+", line)
            )
    assert offenders == []
