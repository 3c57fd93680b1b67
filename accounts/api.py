"""API tokens: each person manages their own; network admins also make bots' tokens and see
and revoke every token."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from accounts.reauth import require_recent_reauthentication
from accounts.selectors import tokens_visible_to
from accounts.serializers import ApiTokenCreatedOut, ApiTokenIn, ApiTokenOut
from accounts.services import token_create, token_revoke
from patio.api import ServiceCallMixin


@extend_schema_view(
    list=extend_schema(summary="List API tokens (your own; every token for network admins)"),
    retrieve=extend_schema(summary="One API token"),
    create=extend_schema(
        summary="Create an API token that acts as you (or a bot account, for network admins); "
        "the secret is in the answer, once",
        description="Only from a signed-in session that gave its password again in the last ten "
        "minutes (403 `reauthentication-required` otherwise); never with an API token (403 "
        "`session-required`).",
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
    permission_classes = [permissions.IsAuthenticated, TokenScopePermission]
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    filterset_fields = ["scope"]
    # The answer to a create holds the token's secret, which is never stored: no replay.
    idempotent_posts = False

    def get_queryset(self):
        return tokens_visible_to(self.request.user)

    def get_serializer_class(self):
        return ApiTokenIn if self.action == "create" else ApiTokenOut

    def create(self, request, *args, **kwargs):
        # A token never makes tokens, and a session only just after giving its password again.
        require_recent_reauthentication(request)
        data = self.validated(ApiTokenIn)
        fields = {"user": request.user, **data}
        token, secret = self.call(token_create, **fields)
        body = ApiTokenCreatedOut(token).data | {"token": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke an API token",
        description="As for creating one: a session that re-authenticated recently, never a token.",
        request=None,
        responses={200: ApiTokenOut},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        require_recent_reauthentication(request)
        token = self.call(token_revoke, token=self.get_object())
        return Response(ApiTokenOut(token).data)


router = SimpleRouter()
router.register("tokens", ApiTokenViewSet, basename="token")
urlpatterns = router.urls
