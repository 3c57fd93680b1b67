"""The projects endpoints of API v1 (mounted under /api/v1/ by patio/urls.py).

Same selectors, filters, permissions and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from projects import permissions, selectors, services
from projects.filters import OpportunityApiFilter
from projects.models import Opportunity
from projects.serializers import (
    InterestIn,
    InterestOut,
    OpportunityIn,
    OpportunityOut,
    TransitionIn,
)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("The resource changed meanwhile.")
    default_code = "conflict"


def _as_api_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def _service_input(validated: dict) -> tuple[dict, list[dict] | None]:
    data = dict(validated)
    data.pop("circle", None)
    roles = data.pop("roles", None)
    return data, roles


@extend_schema_view(
    list=extend_schema(
        summary="List job opportunities",
        description="Drafts only for their circle's coordinators; members-only ones for members.",
    ),
    retrieve=extend_schema(summary="One job opportunity"),
    create=extend_schema(
        summary="Post an opportunity as a draft (coordinators of the circle)",
        request=OpportunityIn,
        responses={201: OpportunityOut},
    ),
    partial_update=extend_schema(
        summary="Edit an opportunity (coordinators of its circle); `roles` replace all roles",
        request=OpportunityIn,
        responses={200: OpportunityOut},
    ),
)
class OpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OpportunityOut
    filterset_class = OpportunityApiFilter
    ordering_fields = ["created_at", "opened_at", "start_date", "budget", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.opportunity_list(self.request.user)

    def call(self, service, **kwargs):
        try:
            return service(actor=self.request.user, **kwargs)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error) or None) from None
        except services.StaleStatus as error:
            raise Conflict(" ".join(error.messages)) from None
        except DjangoValidationError as error:
            raise _as_api_error(error) from None

    def _out(self, opportunity: Opportunity, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=opportunity.pk)
        return Response(OpportunityOut(fresh, context={"request": self.request}).data, status=code)

    def create(self, request, *args, **kwargs):
        data = OpportunityIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields, roles = _service_input(data.validated_data)
        opportunity = self.call(
            services.opportunity_create, circle=data.validated_data["circle"], data=fields,
            roles=roles or [],
        )  # fmt: skip
        return self._out(opportunity, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        opportunity = self.get_object()
        if not permissions.can_edit_opportunity(request.user, opportunity):
            raise ApiPermissionDenied
        data = OpportunityIn(data=request.data, partial=True, creating=False)
        data.is_valid(raise_exception=True)
        fields, roles = _service_input(data.validated_data)
        self.call(services.opportunity_update, opportunity=opportunity, data=fields, roles=roles)
        return self._out(opportunity)

    @extend_schema(
        summary="Move an opportunity to another status (coordinators of its circle)",
        request=TransitionIn,
        responses={200: OpportunityOut, 409: OpenApiResponse(description="Changed meanwhile.")},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        opportunity = self.get_object()
        data = TransitionIn(data=request.data)
        data.is_valid(raise_exception=True)
        self.call(
            services.opportunity_transition, opportunity=opportunity,
            to_status=data.validated_data["to_status"], note=data.validated_data["note"],
        )  # fmt: skip
        return self._out(opportunity)

    @extend_schema(
        methods=["POST"],
        summary="Say you are interested (once)",
        request=InterestIn,
        responses={201: InterestOut},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw your interest",
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["post", "delete"])
    def interest(self, request, pk=None):
        opportunity = self.get_object()
        if request.method == "DELETE":
            self.call(services.interest_withdraw, opportunity=opportunity)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = InterestIn(data=request.data)
        data.is_valid(raise_exception=True)
        role = None
        if data.validated_data.get("role") is not None:
            role = opportunity.roles.filter(pk=data.validated_data["role"]).first()
            if role is None:
                raise ValidationError({"role": [_("This role belongs to another opportunity.")]})
        interest = self.call(
            services.interest_express, opportunity=opportunity, role=role,
            note=data.validated_data["note"],
        )  # fmt: skip
        return Response(InterestOut(interest).data, status=status.HTTP_201_CREATED)


router = DefaultRouter(trailing_slash=True)
router.register("opportunities", OpportunityViewSet, basename="opportunity")
urlpatterns = router.urls
