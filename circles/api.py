"""The circles endpoints of API v1 (mounted under /api/v1/ by patio/urls.py): the same
selectors, filters and services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.reauth import require_recent_reauthentication
from circles import permissions, selectors, services
from circles.filters import CircleFilter, CircleMembershipFilter
from circles.models import Circle, CircleMembership
from circles.serializers import (
    CircleCreateIn,
    CircleIn,
    CircleMembershipCreateIn,
    CircleMembershipEndIn,
    CircleMembershipOut,
    CircleMembershipUpdateIn,
    CircleOut,
)
from patio.api import ServiceCallMixin

GRANTS = (
    "Making someone a coordinator, or a member of the finance circle, needs a signed-in session "
    "that gave its password again in the last ten minutes (403 `reauthentication-required`); "
    "an API token cannot (403 `session-required`)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List circles",
        description="Every circle, with its member count and the coordinators the caller may see.",
    ),
    retrieve=extend_schema(summary="One circle"),
    create=extend_schema(
        summary="Create a circle and appoint its first coordinators (network admins)",
        description=GRANTS,
        request=CircleCreateIn,
        responses={201: CircleOut},
    ),
    partial_update=extend_schema(
        summary="Edit a circle (its coordinators, or network admins)",
        description=(
            "`parent`, `triages_help_requests` and `handles_conflicts` are for network admins only."
        ),
        request=CircleIn,
        responses={200: CircleOut},
    ),
)
class CircleViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CircleOut
    filterset_class = CircleFilter
    lookup_field = "slug"
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.circle_list(self.request.user)

    def _out(self, circle: Circle, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=circle.pk)
        return Response(CircleOut(fresh, context={"request": self.request}).data, **kwargs)

    def create(self, request, *args, **kwargs):
        if not permissions.can_create_circle(request.user):
            raise ApiPermissionDenied
        data = self.validated(CircleCreateIn)
        if data.get("coordinators"):
            require_recent_reauthentication(request)
        circle = self.call(services.circle_create, **data)
        return self._out(circle, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        circle = self.get_object()
        if not permissions.can_edit_circle(request.user, circle):
            raise ApiPermissionDenied
        data = self.validated(CircleIn, circle, partial=True)
        self.call(
            services.circle_update,
            circle=Circle.objects.get(pk=circle.pk),
            data=data,
        )
        return self._out(circle)


@extend_schema_view(
    list=extend_schema(
        summary="List circle memberships",
        description="Past and present memberships of the people the caller may see. Filter by "
        "`circle` (slug), `person` (id), `role` and `current`.",
    ),
    retrieve=extend_schema(summary="One circle membership"),
    create=extend_schema(
        summary="Add a person to a circle (its coordinators, or network admins)",
        description=GRANTS,
        request=CircleMembershipCreateIn,
        responses={201: CircleMembershipOut},
    ),
    partial_update=extend_schema(
        summary="Change a membership's role, hours or duties",
        description="A new role ends this membership yesterday and starts a new one today (the "
        "history stays): the response is the membership now current, which may have a new id. "
        + GRANTS,
        request=CircleMembershipUpdateIn,
        responses={200: CircleMembershipOut},
    ),
    end=extend_schema(
        summary="End a membership",
        description="Without `end_date` the membership ends now; one that started today is "
        "removed instead (204).",
        request=CircleMembershipEndIn,
        responses={200: CircleMembershipOut, 204: OpenApiResponse(description="Removed.")},
    ),
)
class CircleMembershipViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CircleMembershipOut
    filterset_class = CircleMembershipFilter
    ordering_fields = ["start_date", "id"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.circle_memberships(self.request.user).order_by("id")

    def _out(self, membership: CircleMembership, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=membership.pk)
        return Response(CircleMembershipOut(fresh).data, **kwargs)

    def create(self, request, *args, **kwargs):
        data = self.validated(CircleMembershipCreateIn)
        fields = data
        if not permissions.can_manage_members(request.user, fields["circle"]):
            raise ApiPermissionDenied
        if permissions.grants_power(fields["circle"], fields["role"]):
            require_recent_reauthentication(request)
        membership = self.call(services.membership_add, **fields)
        return self._out(membership, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        if not permissions.can_manage_members(request.user, membership.circle):
            raise ApiPermissionDenied
        data = self.validated(CircleMembershipUpdateIn)
        role = data.get("role")
        if role and permissions.grants_power(membership.circle, role, current_role=membership.role):
            require_recent_reauthentication(request)
        current = self.call(services.membership_change_role, membership=membership, **data)
        return self._out(current)

    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        membership = self.get_object()
        if not permissions.can_manage_members(request.user, membership.circle):
            raise ApiPermissionDenied
        data = self.validated(CircleMembershipEndIn)
        ended = self.call(services.membership_end, membership=membership, **data)
        if ended is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._out(ended)


router = SimpleRouter(trailing_slash=True)
router.register("circles", CircleViewSet, basename="circle")
router.register("circle-memberships", CircleMembershipViewSet, basename="circle-membership")
urlpatterns = router.urls
