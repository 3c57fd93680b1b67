"""The site's languages, in one place.

``settings.LANGUAGES`` lists the languages the site speaks: only those whose catalogue is complete
(``tests/patio/test_translations.py`` fails on any untranslated or fuzzy message of a listed
language, so a half-done catalogue cannot reach the switcher).
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from urllib.parse import urlencode

from babel import Locale, dates, numbers, units
from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise

StrOrPromise = str | Promise


def site_languages() -> list[tuple[str, StrOrPromise]]:
    """Choices for a "language" field: the site's languages, read when asked.

    A callable, so a model field's choices follow ``settings.LANGUAGES`` without a migration each
    time a language is added.
    """
    return list(settings.LANGUAGES)


def language_name(code: str, fallback: str = "") -> str:
    """The name of a human language (ISO 639 code, "pt-br" style region allowed) in the active
    language, from CLDR: "español" for a Spanish reader of "es", "Spanish" for an English one.
    `fallback` (the stored name) when CLDR does not know the code."""
    return _language_name(code, fallback, translation.get_language() or settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=4096)
def _language_name(code: str, fallback: str, reader: str) -> str:
    """Once per language and reader's language: a filter lists 39 languages on every page."""
    try:
        name = Locale.parse(translation.to_locale(code)).get_display_name(
            Locale.parse(translation.to_locale(reader))
        )
    except (ValueError, LookupError):  # babel.UnknownLocaleError is a LookupError
        name = None
    return name or fallback or code


# A language chosen by the address ----------------------------------------------------------------
# The site reads its language from the switcher's cookie or the browser, not from the URL, so a
# page's other languages are the same address with `?lang=xx` (LanguageFromQueryMiddleware reads
# it for that one request). Search engines get an address per language for hreflang, and nothing
# is stored: the parameter changes no cookie and no person's preference.
LANGUAGE_QUERY_PARAMETER = "lang"


def query_language(value: str | None) -> str | None:
    """The site language a `?lang=` value names, or None (unknown, or a language not listed)."""
    codes = {code for code, _name in settings.LANGUAGES}
    value = (value or "").strip().lower()
    return value if value in codes else None


def hreflang(code: str) -> str:
    """BCP 47 as hreflang writes it: "pt-br" → "pt-BR"."""
    language, _sep, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def alternates(path: str, query: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for each site language, then ("x-default", the address without
    a language, which the reader's browser or cookie decides)."""
    kept = [
        (key, value)
        for key, values in query.items()
        if key != LANGUAGE_QUERY_PARAMETER
        for value in values
    ]
    base = f"{settings.SITE_URL}{path}"
    links = [
        (hreflang(code), f"{base}?{urlencode([*kept, (LANGUAGE_QUERY_PARAMETER, code)])}")
        for code, _name in settings.LANGUAGES
    ]
    default = f"{base}?{urlencode(kept)}" if kept else base
    return [*links, ("x-default", default)]


# Formats ------------------------------------------------------------------------------------------
# Dates, times, numbers and money in the reader's language, from CLDR through Babel ("1 de octubre
# de 2026" in Spanish, the year first in Japanese), never the ambiguous 10/01/2026. Times are shown
# in the reader's zone (the one the preferences middleware activated) and always say which it is.


def babel_locale() -> Locale:
    """The CLDR locale of the active language ("pt-br" → pt_BR)."""
    return Locale.parse(translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE))


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def zone_label(moment: datetime.datetime | None = None) -> str:
    """The zone as people name it in their settings, its IANA name ("Europe/Madrid"): the
    reader's, or the one `moment` is expressed in."""
    zone = timezone.get_current_timezone() if moment is None else moment.tzinfo
    return str(getattr(zone, "key", None) or zone or "UTC")


def format_day(value: datetime.date | datetime.datetime, length: str = "long") -> str:
    """A day: "October 1, 2026" (long) or "Oct 1, 2026" (medium); a datetime counts in the
    reader's zone."""
    day = _local(value).date() if isinstance(value, datetime.datetime) else value
    return dates.format_date(day, length, locale=babel_locale())


def format_weekday_and_day(value: datetime.date | datetime.datetime) -> str:
    """ "Thursday, October 1, 2026": the day's full name, as an invitation puts it."""
    day = _local(value).date() if isinstance(value, datetime.datetime) else value
    return dates.format_date(day, "full", locale=babel_locale())


def format_month(value: datetime.date) -> str:
    """ "October 2026", "octubre de 2026", "2026年10月"."""
    return dates.format_skeleton("yMMMM", value, locale=babel_locale())


def format_clock(
    moment: datetime.datetime | datetime.time, zone: datetime.tzinfo | None = None
) -> str:
    """The time of day in the locale's short style ("2:05 PM", "14:05"), without the zone: for
    a sentence that names the zone itself."""
    if isinstance(moment, datetime.datetime):
        moment = (moment.astimezone(zone) if zone is not None else _local(moment)).timetz()
    return dates.format_time(moment, "short", locale=babel_locale())


def format_day_and_clock(
    moment: datetime.datetime, length: str = "long", zone: datetime.tzinfo | None = None
) -> str:
    """A moment in the reader's zone (or `zone`) without naming it, for a sentence that does:
    "October 1, 2026 at 2:05 PM", "1 de octubre de 2026, 14:05"; `medium` for tables
    ("Oct 1, 2026, 2:05 PM")."""
    local = moment.astimezone(zone) if zone is not None else _local(moment)
    locale = babel_locale()
    return (
        # CLDR quotes its literal words ("{1} 'at' {0}"); Babel's own format_datetime drops them so
        str(locale.datetime_formats[length])
        .replace("'", "")
        .replace("{1}", dates.format_date(local.date(), length, locale=locale))
        .replace("{0}", dates.format_time(local.timetz(), "short", locale=locale))
    )


def format_moment(
    moment: datetime.datetime, length: str = "long", zone: datetime.tzinfo | None = None
) -> str:
    """A moment in the reader's zone (or `zone`), with the zone: "October 1, 2026 at 2:05 PM
    (Europe/Madrid)"; `medium` for tables."""
    local = moment.astimezone(zone) if zone is not None else _local(moment)
    return f"{format_day_and_clock(local, length, zone=local.tzinfo)} ({zone_label(local)})"


def format_time_of_day(moment: datetime.datetime) -> str:
    """The time of day in the reader's zone, with the zone: "2:05 PM (Europe/Madrid)"."""
    return f"{format_clock(moment)} ({zone_label(_local(moment))})"


def format_weekday(value: datetime.date | datetime.datetime) -> str:
    """The day's short name: "Thu", "jue", "чт", "木"."""
    day = _local(value).date() if isinstance(value, datetime.datetime) else value
    return dates.format_date(day, "EEE", locale=babel_locale())


def format_number(value: Decimal | float | int, digits: int | None = None) -> str:
    """1.234,5 in Spanish, 1 234,5 in Russian; `digits` fixes the decimals shown."""
    if digits is None:
        return numbers.format_decimal(value, locale=babel_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=babel_locale())


# A file's size: bytes below a kilobyte, else one decimal of the largest unit that fits (CLDR's
# digital units are decimal: a kilobyte is 1,000 bytes).
_SIZE_UNITS = (
    (10**9, "digital-gigabyte"),
    (10**6, "digital-megabyte"),
    (10**3, "digital-kilobyte"),
)


def format_file_size(size: int) -> str:
    """ "1.2 MB", "1,2 Mo", "532 byte": a file's size as the reader writes it."""
    for factor, unit in _SIZE_UNITS:
        if size >= factor:
            value = Decimal(size) / factor
            shown = format_number(value.quantize(Decimal("0.1")), 1)
            return units.format_unit(shown, unit, length="short", locale=babel_locale())
    return units.format_unit(size, "digital-byte", length="short", locale=babel_locale())


def format_money(amount: Decimal | float | int, currency: str) -> str:
    """An amount in its currency as the reader writes it: "€1,234.50", "1.234,50 €"."""
    return numbers.format_currency(amount, currency, locale=babel_locale())
