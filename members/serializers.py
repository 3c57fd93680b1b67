"""API shapes for the directory: one output serializer and one input serializer per resource."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from members.models import (
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    SkillCategory,
    validate_timezone,
)
from members.permissions import visible_contact_fields
from patio.api import ByKey, FastReadMixin, StrictFieldsMixin
from patio.filters import BIGINT_MAX


class PersonKey(ByKey):
    """A person in an input body: `{"id": 12}`, as the outputs embed people."""

    id = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    queryset = Person.objects.all()
    not_found = _("No person has this id.")


class OrganisationKey(ByKey):
    """A co-op or organisation in an input body: `{"slug": "camplight"}`, as the outputs embed them."""

    key = "slug"
    slug = serializers.SlugField(max_length=180)
    queryset = Organisation.objects.all()
    not_found = _("No organisation has this slug.")


class SkillOut(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[SkillCategory] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    synonyms = serializers.SerializerMethodField()

    class Meta:
        model = Skill
        fields = ["id", "name", "slug", "category", "synonyms", "esco_uri", "updated_at"]

    def get_synonyms(self, skill) -> list[str]:
        return [s.strip() for s in skill.synonyms.split(",") if s.strip()]


class SkillIn(StrictFieldsMixin, serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=SkillCategory.objects.all())
    synonyms = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20
    )

    class Meta:
        model = Skill
        fields = ["name", "slug", "category", "synonyms", "esco_uri"]

    def validate_synonyms(self, value: list[str]) -> str:
        return ", ".join(v.strip() for v in value if v.strip())


class OrganisationSummary(FastReadMixin, serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "slug", "name"]


# What an organisation's input sets and its output shows back.
ORGANISATION_FIELDS = (
    "slug",
    "name",
    "kind",
    "short_description",
    "description",
    "country",
    "city",
    "founded",
    "size",
    "website",
    "sectors",
    "services",
    "languages",
    "status",
    "federations",
)


class OrganisationOut(FastReadMixin, serializers.ModelSerializer):
    country = CountryField()
    sectors: serializers.SlugRelatedField[Sector] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    languages: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    federations: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    services = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", *ORGANISATION_FIELDS, "joined_on", "url", "updated_at"]

    def get_services(self, organisation) -> list[str]:
        return organisation.service_list()

    def get_url(self, organisation) -> str:
        request = self.context.get("request")
        path = organisation.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class OrganisationIn(StrictFieldsMixin, serializers.ModelSerializer):
    country = CountryField()
    sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False
    )
    languages = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Language.objects.all(), required=False
    )
    federations = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.FEDERATION),
    )
    services = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=50
    )

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)

    def validate_services(self, value: list[str]) -> str:
        return "\n".join(v.strip() for v in value if v.strip())


class PersonSkillOut(FastReadMixin, serializers.ModelSerializer):
    skill: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    level_name = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = PersonSkill
        fields = ["skill", "level", "level_name", "years"]


class PersonSkillIn(StrictFieldsMixin, serializers.Serializer):
    skill = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())
    level = serializers.ChoiceField(choices=PersonSkill.Level.choices)
    years = serializers.IntegerField(min_value=0, max_value=70, default=0)


class PersonLanguageOut(FastReadMixin, serializers.ModelSerializer):
    language: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = PersonLanguage
        fields = ["language", "proficiency"]


class PersonLanguageIn(StrictFieldsMixin, serializers.Serializer):
    language = serializers.SlugRelatedField(slug_field="code", queryset=Language.objects.all())
    proficiency = serializers.ChoiceField(choices=PersonLanguage.Proficiency.choices)


class PersonOut(FastReadMixin, serializers.ModelSerializer):
    """A person as the caller may see them: contact fields they may not read are left out."""

    organisation = OrganisationSummary(read_only=True)
    country = CountryField(allow_blank=True, read_only=True)  # a person may leave it unsaid
    skills = PersonSkillOut(source="person_skills", many=True, read_only=True)
    languages = PersonLanguageOut(source="person_languages", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "display_name",
            "organisation",
            "bio",
            "country",
            "timezone",
            "hours_per_week",
            "available_from",
            "participation",
            "skills",
            "languages",
            "contact_email",
            "phone",
            "chat",
            "website",
            "updated_at",
        ]

    def to_representation(self, person):
        data = super().to_representation(person)
        request = self.context.get("request")
        visible = visible_contact_fields(request.user if request else None, person)
        for field in Person.CONTACT_FIELDS:
            if field not in visible:
                data.pop(field, None)
        return data


class PersonIn(StrictFieldsMixin, serializers.ModelSerializer):
    country = CountryField(required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, validators=[validate_timezone], required=False)
    skills = PersonSkillIn(many=True, required=False, max_length=60)  # type: ignore[call-arg]  # the list's max_length
    languages = PersonLanguageIn(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # the list's max_length

    class Meta:
        model = Person
        fields = [
            *Person.PROFILE_FIELDS,
            "participation",
            *Person.VISIBILITY_FIELDS,
            "skills",
            "languages",
        ]

    def validate_skills(self, value):
        slugs = [item["skill"].slug for item in value]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError("Each skill can be listed once.")
        return value

    def validate_languages(self, value):
        codes = [item["language"].code for item in value]
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError("Each language can be listed once.")
        return value


class PersonCreateIn(PersonIn):
    organisation = OrganisationKey()

    class Meta(PersonIn.Meta):
        fields = ["organisation", *PersonIn.Meta.fields]
