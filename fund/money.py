"""Money as the fund counts it: Decimal amounts with two places, always paired with a currency.

Floats never enter: a float cannot hold 0.10 exactly, and sums of them drift. Amounts from forms,
JSON and the database are Decimals; `quantize` fixes them to cents, rounding half up as
bookkeepers do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeAlias

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
MAX_DIGITS = 14
DECIMAL_PLACES = 2
# The largest amount a Decimal(14, 2) column holds.
MAX_AMOUNT = Decimal("999999999999.99")

# ISO 4217 codes of currencies in use (funds, metals and test codes left out).
CURRENCIES: frozenset[str] = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL""".split()  # noqa: SIM905
)


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(CURRENCIES)]


def validate_currency(value: str) -> None:
    if value not in CURRENCIES:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (for example EUR or USD)."),
            params={"value": value},
            code="currency",
        )


# An amount as the pages and the API hand it over; never a float.
AmountInput: TypeAlias = Decimal | int | str


def quantize(amount: AmountInput) -> Decimal:
    """An amount as a Decimal with exactly two places. Refuses floats: they are already wrong."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("Enter an amount."), code="amount") from None
    if not value.is_finite():
        raise ValidationError(_("Enter an amount."), code="amount")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def contribution_ceiling(currency: str) -> Decimal:
    """The largest single contribution or pledge in `currency` (settings.FUND_CONTRIBUTION_CEILING,
    its "default" for currencies it does not name), never above what a column holds."""
    from django.conf import settings

    ceilings = settings.FUND_CONTRIBUTION_CEILING
    value = Decimal(ceilings.get(currency, ceilings["default"]))
    return min(quantize(value), MAX_AMOUNT)


def claim_amount(hours: Decimal, rate: Decimal) -> Decimal:
    """What a claim pays: hours times the hourly rate, rounded once, at the end."""
    return quantize(Decimal(hours) * Decimal(rate))


def totals_by_currency(items: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Sum (currency, amount) pairs per currency; never adds one currency to another."""
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for currency, amount in items:
        totals[currency] += Decimal(amount)
    return {code: quantize(total) for code, total in sorted(totals.items())}
