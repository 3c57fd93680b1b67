from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.models import ApiToken, User
from accounts.services import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS
from patio.api import StrictFieldsMixin


class ApiTokenOut(serializers.ModelSerializer):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )
    is_usable = serializers.BooleanField(read_only=True)
    user_is_bot = serializers.BooleanField(
        source="user.is_bot", read_only=True, help_text="The token acts as a bot account."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "user",
            "user_is_bot",
            "scope",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_usable",
            "updated_at",
        ]


class ApiTokenCreatedOut(ApiTokenOut):
    token = serializers.CharField(read_only=True, help_text="The secret. Shown this once only.")

    class Meta(ApiTokenOut.Meta):
        fields = [*ApiTokenOut.Meta.fields, "token"]


class ApiTokenIn(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    user = serializers.SlugRelatedField(
        slug_field="email",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="Whom the token acts as: you (the default), or a bot account for network admins.",
    )
    scope = serializers.ChoiceField(choices=ApiToken.Scope.choices, default=ApiToken.Scope.READ)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=TOKEN_MAX_DAYS, default=TOKEN_DEFAULT_DAYS
    )
