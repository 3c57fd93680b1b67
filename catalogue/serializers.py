"""API shapes for the catalogue: one output and one input serializer per resource."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import (
    FEATURE_MAX,
    FEATURES_MAX,
    FunctionCategory,
    MaintenanceContact,
    ProgrammingLanguage,
    Provider,
    RateUnit,
    Service,
    Software,
    SoftwareUse,
)
from catalogue.publiccode import MAINTENANCE_TYPES, MAX_BYTES, maintenance
from catalogue.services import PROVIDER_FIELDS, SOFTWARE_FIELDS, USE_FIELDS
from members.models import Language
from members.serializers import OrganisationKey, OrganisationSummary, PersonKey
from patio.api import ByKey, StrictFieldsMixin
from projects.models import CURRENCIES


class ProviderOut(serializers.ModelSerializer):
    organisation = OrganisationSummary(read_only=True)
    services = serializers.ListField(child=serializers.ChoiceField(choices=Service.choices))
    countries = serializers.ListField(child=serializers.CharField(min_length=2, max_length=2))

    class Meta:
        model = Provider
        fields = ["organisation", *PROVIDER_FIELDS, "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["countries"] = [country.code for country in instance.countries]
        return data


class UseOut(serializers.ModelSerializer):
    organisation = OrganisationSummary(read_only=True)

    class Meta:
        model = SoftwareUse
        fields = ["organisation", *USE_FIELDS, "updated_at"]


class ContactOut(serializers.ModelSerializer):
    """A maintenance contact: the person, as the directory lists them to this reader."""

    id = serializers.IntegerField(source="person.pk", read_only=True)
    name = serializers.CharField(source="person.display_name", read_only=True)
    organisation = OrganisationSummary(source="person.organisation", read_only=True)

    class Meta:
        model = MaintenanceContact
        fields = ["id", "name", "organisation"]


class SimilarOut(serializers.ModelSerializer):
    class Meta:
        model = Software
        fields = ["slug", "name"]


class SoftwareOut(serializers.ModelSerializer):
    categories: serializers.SlugRelatedField[FunctionCategory] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    programming_languages: serializers.SlugRelatedField[ProgrammingLanguage] = (
        serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    )
    ui_languages: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    makers = OrganisationSummary(many=True, read_only=True)
    similar = SimilarOut(many=True, read_only=True)
    providers = ProviderOut(many=True, read_only=True)
    uses = UseOut(many=True, read_only=True)
    contacts = ContactOut(many=True, read_only=True)
    features = serializers.ListField(child=serializers.CharField(), read_only=True)
    managed = serializers.BooleanField(
        source="is_managed",
        read_only=True,
        help_text=_("Managed by a network co-op: a member co-op offers to host it."),
    )
    maintenance_type = serializers.SerializerMethodField(
        help_text=_("publiccode.yml's maintenance.type, derived from contacts and contractors.")
    )
    replaces = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Software
        fields = [
            "slug",
            *SOFTWARE_FIELDS,
            "is_open_source",
            "licence_family",
            "managed",
            "maintenance_type",
            "categories",
            "programming_languages",
            "ui_languages",
            "makers",
            "similar",
            "providers",
            "uses",
            "contacts",
            "publiccode_url",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_replaces(self, software) -> list[str]:
        return software.replaced_products()

    @extend_schema_field(serializers.ChoiceField(choices=MAINTENANCE_TYPES))
    def get_maintenance_type(self, software) -> str:
        return maintenance(software)["type"]

    def get_url(self, software) -> str:
        request = self.context.get("request")
        path = software.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class SoftwareKey(ByKey):
    """Another entry in an input body: `{"slug": "nextcloud"}`, as the outputs embed them."""

    key = "slug"
    slug = serializers.SlugField(max_length=140)
    queryset = Software.objects.all()
    not_found = _("No catalogue entry has this slug.")


class SoftwareIn(StrictFieldsMixin, serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=140, required=False)
    categories = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=FunctionCategory.objects.all(),
        many=True,
        required=False,
    )
    programming_languages = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ProgrammingLanguage.objects.all(),
        many=True,
        required=False,
    )
    ui_languages = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Language.objects.all(),
        many=True,
        required=False,
    )
    makers = OrganisationKey(many=True, required=False)
    similar = SoftwareKey(many=True, required=False)
    # The products it replaces, as the output lists them.
    replaces = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )
    # A model field's own checks would run before the service's: the service says it in words.
    licence = serializers.CharField(max_length=200)
    features = serializers.ListField(
        child=serializers.CharField(max_length=FEATURE_MAX),
        required=False,
        max_length=FEATURES_MAX,
        help_text=_("What it does, as short phrases (publiccode.yml's features)."),
    )

    class Meta:
        model = Software
        fields = [
            "slug",
            *SOFTWARE_FIELDS,
            "categories",
            "programming_languages",
            "ui_languages",
            "makers",
            "similar",
        ]

    def validate_replaces(self, value: list[str]) -> str:
        return ", ".join(v.strip() for v in value if v.strip())


class ProviderIn(StrictFieldsMixin, serializers.Serializer):
    organisation = OrganisationKey()
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Service.choices), min_length=1, max_length=10
    )
    countries = serializers.ListField(
        child=serializers.RegexField(r"^[A-Z]{2}$"), required=False, max_length=250
    )
    rate_min = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    rate_max = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    currency = serializers.ChoiceField(choices=CURRENCIES, required=False)
    rate_unit = serializers.ChoiceField(choices=RateUnit.choices, required=False)
    support_until = serializers.DateField(required=False, allow_null=True)

    def validate_countries(self, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in countries]
        if unknown:
            raise serializers.ValidationError(
                _("Not ISO 3166 country codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return value


class UseIn(StrictFieldsMixin, serializers.Serializer):
    organisation = OrganisationKey()
    use_case = serializers.CharField(max_length=280)
    rating = serializers.IntegerField(min_value=1, max_value=5)


class OrganisationOnly(StrictFieldsMixin, serializers.Serializer):
    organisation = OrganisationKey()


class ContactIn(StrictFieldsMixin, serializers.Serializer):
    person = PersonKey(
        required=False,
        help_text=_(
            "Who is named or taken off; yourself when left out. Only network admins name "
            "someone else (recording an agreement given elsewhere)."
        ),
    )


class ImportIn(StrictFieldsMixin, serializers.Serializer):
    url = serializers.URLField(required=False, max_length=500)
    publiccode = serializers.CharField(
        required=False,
        max_length=MAX_BYTES,
        trim_whitespace=False,
        help_text=_("The text of a publiccode.yml, instead of its address."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if bool(attrs.get("url")) == bool(attrs.get("publiccode")):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either `url` or `publiccode`.")]}
            )
        return attrs
