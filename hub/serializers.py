"""API shapes for the knowledge hub: explicit output and input serializers per resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from circles.models import Circle
from hub.models import Guide, GuideTranslation, LearningPath
from hub.services import MAX_STEPS
from members.models import Person
from patio.api import StrictFieldsMixin
from patio.i18n import site_languages


def _absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class GuidePersonRef(serializers.ModelSerializer):
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, help_text="Their co-op."
    )

    class Meta:
        model = Person
        fields = ["id", "display_name", "organisation"]


class TranslatorRef(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "display_name"]


class GuideTranslationOut(serializers.ModelSerializer):
    """The guide in another language; the original is the guide's own text."""

    translator = TranslatorRef(read_only=True)
    outdated = serializers.SerializerMethodField(
        help_text="Made from an earlier revision of the original: older than it."
    )
    reading_minutes = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The guide's page in this language.")

    class Meta:
        model = GuideTranslation
        fields = [
            "language",
            "title",
            "summary",
            "text",
            "source_revision",
            "outdated",
            "reading_minutes",
            "translator",
            "url",
            "updated_at",
        ]

    def get_outdated(self, translation: GuideTranslation) -> bool:
        return translation.is_older_than(translation.guide)

    def get_url(self, translation: GuideTranslation) -> str:
        return _absolute(self.context, translation.get_absolute_url())


class GuideOut(serializers.ModelSerializer):
    tags: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    reviewer_circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    authors = GuidePersonRef(many=True, read_only=True)
    reviewed_by = TranslatorRef(read_only=True, allow_null=True)
    translations = GuideTranslationOut(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Guide
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "body",
            "category",
            "tags",
            "language",
            "status",
            "reviewer_circle",
            "authors",
            "reading_minutes",
            "revision",
            "review_comment",
            "reviewed_by",
            "submitted_at",
            "published_at",
            "translations",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_url(self, guide: Guide) -> str:
        return _absolute(self.context, guide.get_absolute_url())


_TAGS_HELP = "Tag names, at most 8; a new name makes a new tag."


class GuideIn(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=160)
    summary = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=100000, help_text="In Markdown.")
    category = serializers.ChoiceField(choices=Guide.Category.choices)
    language = serializers.ChoiceField(choices=site_languages(), default="en")
    reviewer_circle = serializers.SlugRelatedField(
        slug_field="slug", queryset=Circle.objects.filter(status=Circle.Status.ACTIVE)
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=8, default=list, help_text=_TAGS_HELP
    )


class GuideUpdateIn(GuideIn):
    """Every field optional: only those sent change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["language"].default = serializers.empty
        self.fields["tags"].default = serializers.empty


class GuideSendBackIn(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=5000, help_text="What the authors should change.")


class GuideDoneIn(StrictFieldsMixin, serializers.Serializer):
    done = serializers.BooleanField(help_text="true marks the guide done; false unmarks it.")


class GuideDoneOut(serializers.Serializer):
    guide = serializers.CharField(help_text="The guide's slug.")
    done = serializers.BooleanField()


class GuideTranslationIn(StrictFieldsMixin, serializers.Serializer):
    language = serializers.ChoiceField(choices=site_languages())
    title = serializers.CharField(max_length=160)
    summary = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    text = serializers.CharField(max_length=100000)


class GuideTranslationUpdateIn(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=160)
    summary = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    text = serializers.CharField(max_length=100000)


class LearningPathOut(serializers.ModelSerializer):
    guides = serializers.SerializerMethodField(
        help_text="The slugs of the path's published guides, in reading order."
    )
    done = serializers.SerializerMethodField(
        help_text="The slugs of those the caller marked done (empty for visitors)."
    )

    class Meta:
        model = LearningPath
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "suggested_to_newcomers",
            "guides",
            "done",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_guides(self, path: LearningPath) -> list[str]:
        return [step.guide.slug for step in path.visible_steps]  # type: ignore[attr-defined]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_done(self, path: LearningPath) -> list[str]:
        done = self.context.get("done", set())
        return [
            step.guide.slug
            for step in path.visible_steps  # type: ignore[attr-defined]
            if step.guide_id in done
        ]


class LearningPathIn(StrictFieldsMixin, serializers.Serializer):
    """A path as `LearningPathOut` reads it: `guides` are published guides' slugs, in order."""

    title = serializers.CharField(max_length=160)
    description = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )
    suggested_to_newcomers = serializers.BooleanField(
        required=False,
        default=False,
        help_text="One path at most is: suggesting this one stops suggesting the other.",
    )
    guides = serializers.ListField(
        child=serializers.CharField(max_length=180),
        min_length=1,
        max_length=MAX_STEPS,
        help_text="The slugs of published guides, in reading order, each once.",
    )

    def validate_guides(self, slugs: list[str]) -> list[Guide]:
        """The guides, found in one query whatever their number, in the order sent (a slug sent
        twice stays twice, for the service to refuse)."""
        published = Guide.objects.filter(status=Guide.Status.PUBLISHED, slug__in=slugs)
        found = {guide.slug: guide for guide in published}
        unknown = [slug for slug in dict.fromkeys(slugs) if slug not in found]
        if unknown:
            raise serializers.ValidationError(
                _("No published guide has the slug %(slugs)s.") % {"slugs": ", ".join(unknown)}
            )
        return [found[slug] for slug in slugs]


class LearningPathChangeIn(LearningPathIn):
    """Every field optional: only those sent change; `guides`, when sent, is the whole list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)
        for name in ("description", "suggested_to_newcomers"):
            self.fields[name].default = serializers.empty


class PathGuideDoneIn(StrictFieldsMixin, serializers.Serializer):
    guide = serializers.CharField(max_length=180, help_text="The slug of one of the path's guides.")
    done = serializers.BooleanField(help_text="true marks the guide done; false unmarks it.")

    def validate_guide(self, slug: str) -> Guide:
        path = self.context["path"]
        step = next((s for s in path.visible_steps if s.guide.slug == slug), None)
        if step is None:
            raise serializers.ValidationError(_("This guide is not in this learning path."))
        guide: Guide = step.guide
        return guide


class PathProgressOut(serializers.Serializer):
    """The caller's own progress along a path. A guide done counts in every path holding it."""

    path = serializers.CharField(help_text="The path's slug.")
    guides = serializers.ListField(
        child=serializers.CharField(), help_text="The slugs of its guides, in reading order."
    )
    guides_done = serializers.ListField(
        child=serializers.CharField(), help_text="The slugs of those the caller marked done."
    )
    done_count = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Done, in whole percent of the total.")
    finished = serializers.BooleanField(help_text="Every guide of the path is done.")
