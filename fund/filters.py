"""Fund filters, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from fund.models import Budget, Contribution, LedgerEntry, PayoutClaim, Pledge
from fund.money import currency_choices
from patio.filters import FilterSet


def _currency_filter():
    return django_filters.ChoiceFilter(label=_("Currency"), choices=currency_choices())


def _circle_filter():
    return django_filters.CharFilter(
        label=_("Circle (slug)"), field_name="circle__slug", max_length=140
    )


def _organisation_filter():
    return django_filters.CharFilter(
        label=_("Co-op (slug)"), field_name="organisation__slug", max_length=140
    )


class LedgerFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=LedgerEntry.Kind.choices)
    currency = _currency_filter()
    circle = _circle_filter()
    organisation = _organisation_filter()
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_on", lookup_expr="lte"
    )

    class Meta:
        model = LedgerEntry
        fields = ["kind", "currency", "circle", "organisation", "date_from", "date_to"]


class ContributionFilter(FilterSet):
    organisation = _organisation_filter()
    currency = _currency_filter()
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received until"), field_name="received_on", lookup_expr="lte"
    )

    class Meta:
        model = Contribution
        fields = ["organisation", "currency", "received_from", "received_to"]


class PledgeFilter(FilterSet):
    organisation = _organisation_filter()
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Pledge
        fields = ["organisation", "active"]


class BudgetFilter(FilterSet):
    circle = _circle_filter()
    currency = _currency_filter()

    class Meta:
        model = Budget
        fields = ["circle", "currency"]


class ClaimFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PayoutClaim.Status.choices)
    circle = _circle_filter()
    currency = _currency_filter()

    class Meta:
        model = PayoutClaim
        fields = ["status", "circle", "currency"]
