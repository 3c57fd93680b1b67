"""API shapes for the fund. Amounts travel as decimal strings ("12.50"), never as floats."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assemblies.models import Decision
from assemblies.serializers import PersonRef
from circles.models import Circle
from fund.models import Budget, Contribution, LedgerEntry, PayoutClaim, Pledge
from fund.money import MAX_AMOUNT, validate_currency
from members.models import Organisation
from patio.api import StrictFieldsMixin


def amount_field(**kwargs):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT, **kwargs
    )


def currency_in():
    # A code checked against ISO 4217, not a 150-value enum in the schema.
    return serializers.CharField(
        min_length=3,
        max_length=3,
        validators=[validate_currency],
        help_text="An ISO 4217 currency code, for example EUR.",
    )


@extend_schema_field(OpenApiTypes.STR)
class MethodField(serializers.ChoiceField):
    """How a contribution was paid. A plain string in the schema: "method" names another
    enum there (assemblies' decision method)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "One of: " + ", ".join(Contribution.Method.values) + ".")
        super().__init__(choices=Contribution.Method.choices, **kwargs)


class OrganisationRef(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Organisation.objects.all(), **kwargs)


class CircleRef(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Circle.objects.all(), **kwargs)


# Out -------------------------------------------------------------------------------------------
class ContributionOut(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    ledger_entry = serializers.IntegerField(source="entry.id", read_only=True)
    method = MethodField(read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "organisation",
            "amount",
            "currency",
            "received_on",
            "method",
            "note",
            "pledge",
            "status",
            "confirmed_at",
            "declined_at",
            "decline_reason",
            "ledger_entry",
            "created_at",
            "updated_at",
        ]


class PledgeOut(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Pledge
        fields = [
            "id",
            "organisation",
            "amount",
            "currency",
            "frequency",
            "next_due_on",
            "active",
            "note",
            "created_at",
            "updated_at",
        ]


class BudgetOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Budget
        fields = [
            "id",
            "circle",
            "period_start",
            "period_end",
            "currency",
            "amount",
            "decision",
            "created_at",
            "updated_at",
        ]


class ClaimOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    person = serializers.SerializerMethodField()
    approvals = serializers.IntegerField(source="approval_count", read_only=True, default=0)

    class Meta:
        model = PayoutClaim
        fields = [
            "id",
            "person",
            "circle",
            "period_start",
            "period_end",
            "hours",
            "description",
            "rate",
            "currency",
            "amount",
            "status",
            "show_name_publicly",
            "rejection_reason",
            "approvals",
            "submitted_at",
            "decided_at",
            "paid_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(PersonRef)
    def get_person(self, claim) -> dict:
        return {"id": claim.person_id, "display_name": claim.person.display_name}


class LedgerEntryOut(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    claim: serializers.PrimaryKeyRelatedField[PayoutClaim] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    contribution: serializers.PrimaryKeyRelatedField[Contribution] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    reversal_of: serializers.PrimaryKeyRelatedField[LedgerEntry] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    is_reversed = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "amount",
            "currency",
            "occurred_on",
            "description",
            "organisation",
            "circle",
            "contribution",
            "claim",
            "reversal_of",
            "is_reversed",
            "created_at",
        ]


# In --------------------------------------------------------------------------------------------
class ContributionIn(StrictFieldsMixin, serializers.Serializer):
    organisation = OrganisationRef()
    amount = amount_field()
    currency = currency_in()
    received_on = serializers.DateField()
    method = MethodField(required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    pledge = serializers.PrimaryKeyRelatedField(
        queryset=Pledge.objects.all(), required=False, allow_null=True
    )


class PledgeIn(StrictFieldsMixin, serializers.Serializer):
    organisation = OrganisationRef()
    amount = amount_field()
    currency = currency_in()
    frequency = serializers.ChoiceField(choices=Pledge.Frequency.choices)
    next_due_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class BudgetIn(StrictFieldsMixin, serializers.Serializer):
    circle = CircleRef()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    currency = currency_in()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), max_value=MAX_AMOUNT
    )
    decision = serializers.PrimaryKeyRelatedField(queryset=Decision.objects.all())


class ClaimIn(StrictFieldsMixin, serializers.Serializer):
    circle = CircleRef()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal("744")
    )
    description = serializers.CharField(max_length=4000)
    currency = currency_in()
    show_name_publicly = serializers.BooleanField(required=False, default=False)
    submit = serializers.BooleanField(required=False, default=False)


class RejectIn(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PayIn(StrictFieldsMixin, serializers.Serializer):
    paid_on = serializers.DateField(required=False)


class EmptyIn(StrictFieldsMixin, serializers.Serializer):
    pass
