"""Factories for the fund."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from factory.django import DjangoModelFactory

from fund.models import HourlyRate
from tests.assemblies.factories import DecisionFactory  # noqa: F401 - re-exported for fund tests


class HourlyRateFactory(DjangoModelFactory):
    class Meta:
        model = HourlyRate
        django_get_or_create = ["currency"]

    currency = "EUR"
    rate = Decimal("25.00")


def last_month() -> tuple[datetime.date, datetime.date]:
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end
