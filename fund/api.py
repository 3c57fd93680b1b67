"""The fund endpoints of API v1 (mounted under /api/v1/ by patio/urls.py): the same selectors,
filters and services as the pages. A POST that moves money, like every POST of the API, takes
an `Idempotency-Key` header (patio.idempotency): a repeat moves no money."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from fund import selectors, services
from fund.filters import BudgetFilter, ClaimFilter, ContributionFilter, LedgerFilter, PledgeFilter
from fund.models import Budget, Contribution, LedgerEntry, PayoutClaim, Pledge
from fund.serializers import (
    BudgetIn,
    BudgetOut,
    ClaimIn,
    ClaimOut,
    ContributionIn,
    ContributionOut,
    EmptyIn,
    LedgerEntryOut,
    PayIn,
    PledgeIn,
    PledgeOut,
    RejectIn,
)
from patio.api import ServiceCallMixin, SignInRequired
from patio.idempotency import HEADER

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Up to 255 characters. A repeated key (same caller, same endpoint) returns the "
    "first answer again and moves no money; the same key with another body is a 422.",
)


class _FundViewSet(
    ServiceCallMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    http_method_names = ["get", "post", "head", "options"]
    # The fund is for members: a visitor is told to sign in, not shown an empty ledger.
    permission_classes = [TokenScopePermission, SignInRequired]
    ordering = ["-id"]
    ordering_fields = ["id"]

    # The schema's model, without running the caller's scoped selector.
    model: type[Model]

    def scoped(self, user: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.scoped(self.request.user)

    def _out(self, obj, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List contributions (members of the network)"),
    retrieve=extend_schema(summary="One contribution"),
    create=extend_schema(
        summary="Record a contribution received (its co-op's admins or the finance circle)",
        description="It is `pending`, in no balance and on no ledger, until a finance approver "
        "other than the recorder confirms it.",
        request=ContributionIn,
        responses={201: ContributionOut},
        parameters=[IDEMPOTENCY],
    ),
    confirm=extend_schema(
        summary="Confirm that a pending contribution arrived (a finance approver, never its "
        "recorder)",
        description="Writes its ledger entry: from now on it counts in the balance.",
        request=EmptyIn,
        responses={200: ContributionOut},
        parameters=[IDEMPOTENCY],
    ),
    decline=extend_schema(
        summary="Decline a pending contribution, with a reason (a finance approver, never its "
        "recorder)",
        description="It never counts in the balance; its recorder is emailed the reason. A "
        "contribution already confirmed or declined is a 409.",
        request=RejectIn,
        responses={200: ContributionOut},
    ),
)
class ContributionViewSet(_FundViewSet):
    serializer_class = ContributionOut
    filterset_class = ContributionFilter
    ordering_fields = ["received_on", "id"]
    conflict_errors = (services.ContributionNotPending,)

    model = Contribution

    def scoped(self, user):
        return selectors.contributions(user).select_related("entry")

    def create(self, request, *args, **kwargs):
        contribution = self.call(services.contribution_record, **self.validated(ContributionIn))
        return self._out(contribution, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        self.validated(EmptyIn)
        contribution = self.get_object()
        self.call(services.contribution_confirm, contribution=contribution)
        return self._out(contribution)

    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        fields = self.validated(RejectIn)
        contribution = self.get_object()
        self.call(services.contribution_decline, contribution=contribution, **fields)
        return self._out(contribution)


@extend_schema_view(
    list=extend_schema(summary="List pledges (a co-op admin's own co-op; all for finance)"),
    retrieve=extend_schema(summary="One pledge"),
    create=extend_schema(
        summary="Pledge a recurring contribution", request=PledgeIn, responses={201: PledgeOut}
    ),
    end=extend_schema(summary="End a pledge", request=EmptyIn, responses={200: PledgeOut}),
)
class PledgeViewSet(_FundViewSet):
    serializer_class = PledgeOut
    filterset_class = PledgeFilter
    ordering_fields = ["next_due_on", "id"]

    model = Pledge

    def scoped(self, user):
        return selectors.pledges(user)

    def create(self, request, *args, **kwargs):
        pledge = self.call(services.pledge_create, **self.validated(PledgeIn))
        return self._out(pledge, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        self.validated(EmptyIn)
        pledge = self.call(services.pledge_end, pledge=self.get_object())
        return self._out(pledge)


@extend_schema_view(
    list=extend_schema(summary="List budgets per circle and period"),
    retrieve=extend_schema(summary="One budget"),
    create=extend_schema(
        summary="Set a circle's budget for a period (finance circle)",
        request=BudgetIn,
        responses={201: BudgetOut},
    ),
)
class BudgetViewSet(_FundViewSet):
    serializer_class = BudgetOut
    filterset_class = BudgetFilter

    model = Budget

    def scoped(self, user):
        return selectors.budgets(user)

    def create(self, request, *args, **kwargs):
        budget = self.call(services.budget_set, **self.validated(BudgetIn))
        return self._out(budget, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List payout claims (one's own; all for the finance circle)"),
    retrieve=extend_schema(summary="One payout claim"),
    create=extend_schema(
        summary="Claim payment for work in a circle you belong to",
        description="Priced at the fund's hourly rate for the currency. `submit: true` sends it "
        "to the approvers at once; otherwise it stays a draft.",
        request=ClaimIn,
        responses={201: ClaimOut},
    ),
    submit=extend_schema(
        summary="Submit a draft claim", request=EmptyIn, responses={200: ClaimOut}
    ),
    withdraw=extend_schema(
        summary="Withdraw one's claim", request=EmptyIn, responses={200: ClaimOut}
    ),
    approve=extend_schema(
        summary="Approve a claim (finance circle, never one's own, once each)",
        description="The claim turns `approved` when it has the approvals the fund needs.",
        request=EmptyIn,
        responses={200: ClaimOut},
    ),
    reject=extend_schema(
        summary="Reject a claim with a reason", request=RejectIn, responses={200: ClaimOut}
    ),
    pay=extend_schema(
        summary="Record the payment of an approved claim",
        description="Once per claim, and only if the fund's balance in the claim's currency "
        "covers it.",
        request=PayIn,
        responses={200: ClaimOut},
        parameters=[IDEMPOTENCY],
    ),
)
class ClaimViewSet(_FundViewSet):
    serializer_class = ClaimOut
    filterset_class = ClaimFilter
    ordering_fields = ["submitted_at", "id"]

    model = PayoutClaim

    def scoped(self, user):
        return selectors.claims(user)

    def create(self, request, *args, **kwargs):
        claim = self.call(services.claim_create, **self.validated(ClaimIn))
        return self._out(claim, status=status.HTTP_201_CREATED)

    def _act(self, service, serializer_class=EmptyIn):
        fields = self.validated(serializer_class)
        claim = self.get_object()
        self.call(service, claim=claim, **fields)
        return self._out(claim)

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._act(services.claim_submit)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        return self._act(services.claim_withdraw)

    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self._act(services.claim_approve)

    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        return self._act(services.claim_reject, RejectIn)

    @action(detail=True, methods=["post"])
    def pay(self, request, *args, **kwargs):
        return self._act(services.claim_pay, PayIn)


@extend_schema_view(
    list=extend_schema(
        summary="The ledger: every money movement (read-only)",
        description="Positive amounts came in, negative ones went out. Corrections reverse an "
        "earlier entry (`reversal_of`); entries are never changed.",
    ),
    retrieve=extend_schema(summary="One ledger entry"),
)
class LedgerViewSet(_FundViewSet):
    serializer_class = LedgerEntryOut
    filterset_class = LedgerFilter
    http_method_names = ["get", "head", "options"]
    ordering_fields = ["occurred_on", "id"]
    # Entries are never changed: `updated_since` reads when they were made (patio.sync).
    sync_field = "created_at"

    model = LedgerEntry

    def scoped(self, user):
        return selectors.ledger_entries(user)


router = SimpleRouter(trailing_slash=True)
router.register("fund/contributions", ContributionViewSet, basename="fund-contribution")
router.register("fund/pledges", PledgeViewSet, basename="fund-pledge")
router.register("fund/budgets", BudgetViewSet, basename="fund-budget")
router.register("fund/claims", ClaimViewSet, basename="fund-claim")
router.register("fund/ledger", LedgerViewSet, basename="fund-ledger")
urlpatterns = router.urls
