"""API shapes for policies: explicit output and input serializers per resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from circles.models import Circle
from members.models import Person
from patio.api import StrictFieldsMixin
from patio.i18n import site_languages
from policies.models import (
    Amendment,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyTranslation,
    PolicyVersion,
)


class PolicyPersonRef(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "display_name"]


class PolicyVersionOut(serializers.ModelSerializer):
    founding = serializers.BooleanField(source="is_founding", read_only=True)

    class Meta:
        model = PolicyVersion
        fields = [
            "number",
            "text",
            "summary",
            "effective_date",
            "decision",
            "consent_round",
            "amendment",
            "founding",
            "created_at",
        ]


def _current(policy: Policy) -> PolicyVersion | None:
    versions = list(policy.versions.all())  # prefetched, newest first
    return versions[0] if versions else None


def _absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class PolicyTranslationOut(serializers.ModelSerializer):
    """A translation of the policy: not a version, and not the text that binds."""

    source_version = serializers.IntegerField(
        source="source_version.number",
        read_only=True,
        help_text="The number of the version it was translated from.",
    )
    outdated = serializers.SerializerMethodField(
        help_text="Made from an earlier version than the current one: older than the original."
    )
    url = serializers.SerializerMethodField(help_text="The policy's page in this language.")

    class Meta:
        model = PolicyTranslation
        fields = ["language", "title", "text", "source_version", "outdated", "url", "updated_at"]

    def get_outdated(self, translation: PolicyTranslation) -> bool:
        current = _current(translation.policy)
        return current is not None and translation.source_version_id != current.pk

    def get_url(self, translation: PolicyTranslation) -> str:
        return _absolute(self.context, translation.get_absolute_url())


class PolicyOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    current_version = serializers.SerializerMethodField()
    versions = PolicyVersionOut(many=True, read_only=True)
    translations = PolicyTranslationOut(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "slug",
            "title",
            "category",
            "circle",
            "visibility",
            "review_date",
            "language",
            "current_version",
            "versions",
            "translations",
            "url",
            "updated_at",
        ]

    def get_current_version(self, policy) -> int | None:
        current = _current(policy)
        return current.number if current is not None else None

    def get_url(self, policy) -> str:
        return _absolute(self.context, policy.get_absolute_url())


class PolicyTranslationIn(StrictFieldsMixin, serializers.Serializer):
    language = serializers.ChoiceField(choices=site_languages())
    title = serializers.CharField(max_length=160)
    text = serializers.CharField(max_length=100000)


class PolicyTranslationUpdateIn(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=160)
    text = serializers.CharField(max_length=100000)


class ConsentRoundOut(serializers.ModelSerializer):
    class Meta:
        model = ConsentRound
        fields = ["number", "revision", "opens_at", "closes_at", "closed_at", "outcome"]


class AmendmentOut(serializers.ModelSerializer):
    policy: serializers.SlugRelatedField[Policy] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    proposer = PolicyPersonRef(read_only=True)
    round = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = [
            "id",
            "policy",
            "title",
            "new_policy_category",
            "text",
            "rationale",
            "proposer",
            "status",
            "revision",
            "round",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ConsentRoundOut(allow_null=True))
    def get_round(self, amendment) -> dict | None:
        """The latest consent round, or null before the first."""
        rounds = list(amendment.rounds.all())  # prefetched, newest first
        return ConsentRoundOut(rounds[0]).data if rounds else None


class AmendmentIn(StrictFieldsMixin, serializers.ModelSerializer):
    policy = serializers.SlugRelatedField(
        slug_field="slug", queryset=Policy.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Amendment
        fields = ["policy", "title", "new_policy_category", "text", "rationale"]


class AmendmentMoveIn(StrictFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=Amendment.Status.choices)


class ConsentAnswerIn(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.ChoiceField(choices=ConsentResponse.Answer.choices)
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ConsentAnswerOut(serializers.ModelSerializer):
    person = PolicyPersonRef(read_only=True)
    round = serializers.IntegerField(source="round.number", read_only=True)

    class Meta:
        model = ConsentResponse
        fields = ["round", "person", "answer", "reason", "resolution", "updated_at"]
