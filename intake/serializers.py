"""API shapes for requests for help: what anyone may send, and what triagers read."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from catalogue.models import Software
from circles.models import Circle
from intake.forms import MAX_LANGUAGES
from intake.models import DESCRIPTION_MAX, HelpRequest, ProviderNotice
from intake.services import MAX_PROVIDERS, SUBMITTED_FIELDS
from members.models import Language, Organisation
from patio.api import StrictFieldsMixin
from projects.models import Opportunity


class HelpRequestIn(StrictFieldsMixin, serializers.ModelSerializer):
    country = CountryField()
    preferred_languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    software = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Software.objects.filter(status=Software.Status.PUBLISHED),
        required=False,
        allow_null=True,
        help_text="The slug of the published catalogue entry the request is about.",
    )
    providers = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text="Slugs of co-ops among the entry's providers whose admins are told by email; "
        "none leaves it to the network's coordinators.",
    )

    class Meta:
        model = HelpRequest
        fields = [*SUBMITTED_FIELDS, "preferred_languages", "software", "providers"]

    def validate_providers(self, value):
        if len(value) > MAX_PROVIDERS:
            raise serializers.ValidationError(
                _("Choose at most %(n)d providers.") % {"n": MAX_PROVIDERS}
            )
        return value

    def validate_preferred_languages(self, value):
        if len(value) > MAX_LANGUAGES:
            raise serializers.ValidationError(
                _("Choose at most %(n)d languages.") % {"n": MAX_LANGUAGES}
            )
        return value


class ProviderToldOut(serializers.ModelSerializer):
    """A provider co-op the requester chose, and when its admins were emailed (null: not yet)."""

    coop: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        source="organisation", slug_field="slug", read_only=True
    )
    name = serializers.CharField(source="organisation.name", read_only=True)
    told_at = serializers.DateTimeField(source="sent_at", read_only=True, allow_null=True)

    class Meta:
        model = ProviderNotice
        fields = ["coop", "name", "told_at"]


class _SoftwareAndProviders(serializers.Serializer):
    """The software a request names and the provider co-ops it chose, as both outputs show them."""

    software: serializers.SlugRelatedField[Software] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    providers = serializers.SerializerMethodField()
    providers_told = ProviderToldOut(source="provider_notices", many=True, read_only=True)

    def get_providers(self, help_request) -> list[str]:
        """The slugs of the co-ops chosen, as they were sent."""
        return [notice.organisation.slug for notice in help_request.provider_notices.all()]


class HelpRequestReceipt(_SoftwareAndProviders, serializers.ModelSerializer):
    """What a public caller gets back: no personal data, only that it arrived, and who is told."""

    class Meta:
        model = HelpRequest
        fields = ["id", "status", "software", "providers", "providers_told", "created_at"]


class HelpRequestOut(_SoftwareAndProviders, serializers.ModelSerializer):
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
            "software",
            "providers",
            "providers_told",
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
