"""Money is Decimal, per currency, rounded once to cents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fund.money import claim_amount, quantize, totals_by_currency, validate_currency

pytestmark = pytest.mark.pure


def test_a_tenth_plus_two_tenths_is_exactly_three_tenths():
    assert quantize("0.1") + quantize("0.2") == Decimal("0.30")


def test_amounts_round_half_up_to_cents():
    assert quantize("2.675") == Decimal("2.68")
    assert quantize("2.665") == Decimal("2.67")
    assert quantize("-2.675") == Decimal("-2.68")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        quantize(0.1)


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", ""])
def test_garbage_is_not_an_amount(bad):
    with pytest.raises(ValidationError):
        quantize(bad)


def test_a_claim_rounds_once_at_the_end():
    # 7.33 h x 12.345 = 90.48885: rounding the rate first would give 90.50.
    assert claim_amount(Decimal("7.33"), Decimal("12.345")) == Decimal("90.49")


def test_totals_never_mix_currencies():
    totals = totals_by_currency(
        [("EUR", Decimal("10.10")), ("USD", Decimal("5")), ("EUR", Decimal("-0.10"))]
    )
    assert totals == {"EUR": Decimal("10.00"), "USD": Decimal("5.00")}


@pytest.mark.parametrize("code", ["EUR", "USD", "ARS", "BGN"])
def test_iso_4217_codes_are_currencies(code):
    validate_currency(code)


@pytest.mark.parametrize("code", ["eur", "EURO", "XXX", "ABC", ""])
def test_other_codes_are_not(code):
    with pytest.raises(ValidationError):
        validate_currency(code)
