"""REST API v1 for webhooks: a partner's token subscribes its endpoint to events, reads its recent
deliveries (each attempt with the receiver's answer) and asks for a redelivery."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from accounts.models import ApiToken
from patio.api import ServiceCallMixin, SignInRequired
from webhooks.selectors import deliveries_for, recent_deliveries, subscriptions_for
from webhooks.serializers import (
    DeliveryOut,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
)
from webhooks.services import (
    DeliveryBusy,
    delivery_redeliver,
    subscription_create,
    subscription_delete,
    subscription_resume,
)


def _token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


@extend_schema_view(
    list=extend_schema(
        summary="List webhook subscriptions (a token's own; all of your tokens' in a session)"
    ),
    retrieve=extend_schema(summary="One webhook subscription"),
    create=extend_schema(
        summary="Subscribe an endpoint to events, with the write token that will own it; the "
        "signing secret is in the answer, once",
        description="Deliveries are signed as Standard Webhooks says (`webhook-id`, "
        "`webhook-timestamp`, `webhook-signature`: HMAC-SHA256 with the secret). The event "
        "types and their bodies are documented under `x-webhooks`. A receiver that answers "
        "no 2xx is tried again, waiting longer each time, for 24 hours; a subscription whose "
        "every attempt has failed for 3 days is paused and its owner emailed.",
        request=SubscriptionIn,
        responses={201: SubscriptionCreatedOut},
    ),
    destroy=extend_schema(summary="Delete a webhook subscription"),
)
class SubscriptionViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SubscriptionOut
    permission_classes = [TokenScopePermission, SignInRequired]
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    filterset_fields = ["status"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    # Creating takes an Idempotency-Key like every POST: a partner whose connection dropped
    # gets the same subscription, and its secret, again. Unlike a token's, the secret is kept
    # anyway (signing needs it), so keeping the first answer exposes nothing new.

    def get_queryset(self):
        return subscriptions_for(self.request.user, _token(self.request))

    def get_serializer_class(self):
        return SubscriptionIn if self.action == "create" else SubscriptionOut

    def create(self, request, *args, **kwargs):
        data = self.validated(SubscriptionIn)
        subscription, secret = self.call(subscription_create, token=_token(request), **data)
        body = SubscriptionCreatedOut(subscription).data | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        self.call(subscription_delete, subscription=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Resume a paused subscription; the deliveries it missed are sent again",
        request=None,
        responses=SubscriptionOut,
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        subscription = self.call(subscription_resume, subscription=self.get_object())
        return Response(SubscriptionOut(subscription).data)

    @extend_schema(
        summary="The subscription's 50 most recent deliveries, newest first, with every attempt",
        # Not "…_list": it answers a plain array, not a page (clients tell them by the name).
        operation_id="webhooks_subscriptions_recent_deliveries",
        responses=DeliveryOut(many=True),
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        rows = recent_deliveries(request.user, _token(request), subscription)
        return Response(DeliveryOut(rows, many=True).data)


@extend_schema_view(retrieve=extend_schema(summary="One webhook delivery, with every attempt"))
class DeliveryViewSet(ServiceCallMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DeliveryOut
    permission_classes = [TokenScopePermission, SignInRequired]
    conflict_errors = (DeliveryBusy,)

    def get_queryset(self):
        return deliveries_for(self.request.user, _token(self.request)).order_by("-id")

    @extend_schema(
        summary="Send this delivery again now (same `webhook-id`), with a fresh retry window",
        request=None,
        responses=DeliveryOut,
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        row = self.call(delivery_redeliver, delivery_row=self.get_object())
        return Response(DeliveryOut(self.get_queryset().get(pk=row.pk)).data)


router = SimpleRouter()
router.register("webhooks/subscriptions", SubscriptionViewSet, basename="webhook-subscription")
router.register("webhooks/deliveries", DeliveryViewSet, basename="webhook-delivery")
urlpatterns = router.urls
