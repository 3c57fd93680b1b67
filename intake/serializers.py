"""API shapes for requests for help: what anyone may send, and what triagers read."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from circles.models import Circle
from intake.forms import MAX_LANGUAGES
from intake.models import DESCRIPTION_MAX, HelpRequest
from intake.services import SUBMITTED_FIELDS
from members.models import Language
from patio.api import StrictFieldsMixin
from projects.models import Opportunity


class HelpRequestIn(StrictFieldsMixin, serializers.ModelSerializer):
    country = CountryField()
    preferred_languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX)

    class Meta:
        model = HelpRequest
        fields = [*SUBMITTED_FIELDS, "preferred_languages"]

    def validate_preferred_languages(self, value):
        if len(value) > MAX_LANGUAGES:
            raise serializers.ValidationError(
                _("Choose at most %(n)d languages.") % {"n": MAX_LANGUAGES}
            )
        return value


class HelpRequestReceipt(serializers.ModelSerializer):
    """What a public caller gets back: no personal data, only that it arrived."""

    class Meta:
        model = HelpRequest
        fields = ["id", "status", "created_at"]


class HelpRequestOut(serializers.ModelSerializer):
    country = CountryField()
    preferred_languages: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    handled_by = serializers.SerializerMethodField()
    opportunity: serializers.PrimaryKeyRelatedField[Opportunity] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            *SUBMITTED_FIELDS,
            "preferred_languages",
            "language",
            "status",
            "answer",
            "decline_reason",
            "handled_by",
            "handled_at",
            "opportunity",
            "acknowledged_at",
            "created_at",
            "url",
            "updated_at",
        ]

    def get_handled_by(self, help_request) -> int | None:
        return help_request.handled_by_id

    def get_url(self, help_request) -> str:
        request = self.context.get("request")
        path = help_request.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class AnswerIn(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.CharField(max_length=DESCRIPTION_MAX)


class DeclineIn(StrictFieldsMixin, serializers.Serializer):
    decline_reason = serializers.CharField(max_length=2000)


class ConvertIn(StrictFieldsMixin, serializers.Serializer):
    circle = serializers.SlugRelatedField(
        slug_field="slug", queryset=Circle.objects.filter(triages_help_requests=True)
    )


class ConvertOut(serializers.Serializer):
    help_request = HelpRequestOut()
    opportunity = serializers.IntegerField()
    opportunity_url = serializers.CharField()
