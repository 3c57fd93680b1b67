"""API shapes for webhooks: what a partner sends to subscribe, and what it reads back."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patio.api import StrictFieldsMixin
from webhooks import events
from webhooks.models import Attempt, Delivery, Subscription


class SubscriptionIn(StrictFieldsMixin, serializers.Serializer):
    url = serializers.CharField(
        max_length=500,
        help_text="Where the events are POSTed: an https:// URL on the public internet.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=[]),
        min_length=1,
        max_length=20,
        help_text="The event types to receive (each is documented under `x-webhooks`).",
    )
    description = serializers.CharField(max_length=200, required=False, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The apps register their event types when they are ready, after this class is made.
        listed = cast(serializers.ListField, self.fields["events"])
        cast(serializers.ChoiceField, listed.child).choices = events.choices()


class SubscriptionOut(serializers.ModelSerializer):
    token = serializers.IntegerField(source="token_id", read_only=True, help_text="Its API token.")
    events = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "description",
            "events",
            "token",
            "status",
            "failing_since",
            "paused_at",
            "pause_reason",
            "created_at",
            "updated_at",
        ]


class SubscriptionCreatedOut(SubscriptionOut):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (`whsec_…`, Standard Webhooks). Shown this once only.",
    )

    class Meta(SubscriptionOut.Meta):
        fields = [*SubscriptionOut.Meta.fields, "secret"]


class AttemptOut(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "response_status", "response_excerpt", "error", "duration_ms", "by_hand"]


class DeliveryOut(serializers.ModelSerializer):
    webhook_id = serializers.CharField(
        source="event.message_id", read_only=True, help_text="The `webhook-id` header it carries."
    )
    type = serializers.CharField(source="event.kind", read_only=True)
    payload = serializers.SerializerMethodField()
    attempts = AttemptOut(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "subscription",
            "webhook_id",
            "type",
            "status",
            "attempt_count",
            "next_attempt_at",
            "delivered_at",
            "last_response_status",
            "payload",
            "attempts",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "description": "The body every attempt sends: `type`, `timestamp` and `data`.",
            "properties": {
                "type": {"type": "string"},
                "timestamp": {"type": "string", "format": "date-time"},
                "data": {"type": "object", "additionalProperties": True},
            },
            "required": ["type", "timestamp", "data"],
        }
    )
    def get_payload(self, delivery: Delivery) -> dict[str, Any]:
        return delivery.event.envelope()
