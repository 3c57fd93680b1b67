"""API shapes for case studies: one output serializer, and one input serializer per write."""

from __future__ import annotations

from rest_framework import serializers

from casestudies.models import CONSENT_NOTE_MAX, SUMMARY_MAX, TEXT_MAX, CaseStudy
from catalogue.models import Software
from catalogue.serializers import SoftwareKey
from members.models import Skill
from members.serializers import OrganisationSummary
from patio.api import StrictFieldsMixin
from projects.models import Project


class SoftwareUsed(serializers.ModelSerializer):
    class Meta:
        model = Software
        fields = ["slug", "name"]


class CaseStudyOut(serializers.ModelSerializer):
    project: serializers.PrimaryKeyRelatedField[Project] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    coops = OrganisationSummary(many=True, read_only=True)
    countries = serializers.SerializerMethodField()
    skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    phases = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The project's phases: idea, design, development, maintenance, marketing.",
    )
    software = SoftwareUsed(many=True, read_only=True)
    duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)
    has_consent = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "project",
            "title",
            "summary",
            "story",
            "outcome",
            "status",
            "client_name",
            "coops",
            "countries",
            "skills",
            "phases",
            "software",
            "started_on",
            "finished_on",
            "duration_weeks",
            "has_consent",
            "published_at",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_countries(self, case_study) -> list[str]:
        return [country.code for country in case_study.countries]

    def get_url(self, case_study) -> str:
        request = self.context.get("request")
        path = case_study.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CaseStudyCreateIn(StrictFieldsMixin, serializers.Serializer):
    project = serializers.IntegerField(
        min_value=1, help_text="The finished project the case study tells."
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    software = SoftwareKey(
        many=True,
        required=False,
        help_text="The catalogue entries it used; left out, those the project names.",
    )


class CaseStudyIn(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True)
    story = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    outcome = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    software = SoftwareKey(many=True, required=False)


class ConsentIn(StrictFieldsMixin, serializers.Serializer):
    method = serializers.ChoiceField(choices=CaseStudy.ConsentMethod.choices)
    given_by = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=CONSENT_NOTE_MAX, required=False, allow_blank=True)


class ProjectSoftwareOut(serializers.ModelSerializer):
    """A catalogue entry a project uses."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Software
        fields = ["slug", "name", "summary", "url"]

    def get_url(self, software) -> str:
        request = self.context.get("request")
        path = software.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ProjectSoftwareIn(StrictFieldsMixin, serializers.Serializer):
    software = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Software.objects.filter(status=Software.Status.PUBLISHED),
        help_text="The slug of a published catalogue entry.",
    )


class ProjectSoftwareListOut(serializers.Serializer):
    """The catalogue entries a project uses, by name."""

    project = serializers.IntegerField()
    software = ProjectSoftwareOut(many=True)
