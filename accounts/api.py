"""API tokens, managed by network admins."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.models import ApiToken
from accounts.permissions import can_manage_tokens
from accounts.serializers import ApiTokenCreatedOut, ApiTokenIn, ApiTokenOut
from accounts.services import token_create, token_revoke
from patio.api import ServiceCallMixin


class IsNetworkAdmin(permissions.BasePermission):
    message = "Only network admins manage API tokens."

    def has_permission(self, request, view):
        if not can_manage_tokens(request.user):
            return False
        auth = request.auth
        if isinstance(auth, ApiToken) and request.method not in permissions.SAFE_METHODS:
            return auth.allows_write()
        return True


@extend_schema_view(
    list=extend_schema(summary="List API tokens (network admins)"),
    retrieve=extend_schema(summary="One API token (network admins)"),
    create=extend_schema(
        summary="Create an API token; the secret is in the answer, once",
        request=ApiTokenIn,
        responses={201: ApiTokenCreatedOut},
    ),
)
class ApiTokenViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApiTokenOut
    permission_classes = [IsNetworkAdmin]
    queryset = ApiToken.objects.select_related("user").order_by("-id")
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    filterset_fields = ["scope"]

    def get_serializer_class(self):
        return ApiTokenIn if self.action == "create" else ApiTokenOut

    def create(self, request, *args, **kwargs):
        data = ApiTokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        token, secret = self.call(token_create, **data.validated_data)
        body = ApiTokenCreatedOut(token).data | {"token": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke an API token", request=None, responses={200: ApiTokenOut})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = self.call(token_revoke, token=self.get_object())
        return Response(ApiTokenOut(token).data)


router = SimpleRouter()
router.register("tokens", ApiTokenViewSet, basename="token")
urlpatterns = router.urls
