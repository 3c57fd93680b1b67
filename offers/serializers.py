"""API shapes of offers and wants: explicit input and output per endpoint."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from members.models import Skill
from offers.models import (
    DESCRIPTION_MAX,
    REPLY_MAX,
    TAGS_MAX,
    TITLE_MAX,
    Post,
    Reply,
    SavedSearch,
)
from patio.api import StrictFieldsMixin

# A saved search looks for posts with any of its skills: a long list would match everything.
SEARCH_SKILLS_MAX = 20


class PartyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PostOut(serializers.ModelSerializer):
    country = CountryField(allow_blank=True, read_only=True)  # empty for a global post
    tags = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    poster = serializers.SerializerMethodField()
    coop = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "exchange",
            "kind",
            "title",
            "description",
            "tags",
            "skills",
            "scope",
            "country",
            "city",
            "starts_on",
            "ends_on",
            "visibility",
            "state",
            "closed_at",
            "poster",
            "coop",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_tags(self, post: Post) -> list[str]:
        return [tag.name for tag in post.tags.all()]

    def get_skills(self, post: Post) -> list[str]:
        return [skill.slug for skill in post.skills.all()]

    @staticmethod
    def _party(id_: int, name: str) -> dict:
        return {"id": id_, "name": name}

    def get_poster(self, post: Post) -> PartyOut:
        return self._party(post.poster_id, post.poster.display_name)  # type: ignore[return-value]

    def get_coop(self, post: Post) -> PartyOut | None:
        organisation = post.organisation or post.poster.organisation
        return self._party(organisation.pk, organisation.name)  # type: ignore[return-value]

    def get_url(self, post: Post) -> str:
        request = self.context.get("request")
        path = post.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


# drf-spectacular reads the method fields' return annotations; these name the nested shapes.
PostOut.get_poster.__annotations__["return"] = PartyOut
PostOut.get_coop.__annotations__["return"] = PartyOut


class PostIn(StrictFieldsMixin, serializers.Serializer):
    exchange = serializers.ChoiceField(choices=Post.Exchange.choices)
    kind = serializers.ChoiceField(choices=Post.Kind.choices)
    title = serializers.CharField(max_length=TITLE_MAX)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    scope = serializers.ChoiceField(choices=Post.Scope.choices)
    country = CountryField(required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    visibility = serializers.ChoiceField(choices=Post.Visibility.choices, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=TAGS_MAX, required=False
    )
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), many=True, required=False
    )
    for_coop = serializers.BooleanField(
        required=False, help_text="Post for your co-op (its admins only)."
    )


class PostChangeIn(PostIn):
    """A partial change: every field optional; `for_coop` is decided when posting."""

    for_coop = None  # type: ignore[assignment]

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ReplyIn(StrictFieldsMixin, serializers.Serializer):
    body = serializers.CharField(max_length=REPLY_MAX)


class ReplyOut(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = ["id", "post", "author", "body", "created_at"]

    def get_author(self, reply: Reply) -> PartyOut:
        return {"id": reply.author_id, "name": reply.author.display_name}  # type: ignore[return-value]


class SavedSearchOut(serializers.ModelSerializer):
    """A saved search: its digest lists new open posts that meet every criterion set."""

    country = CountryField(allow_blank=True, read_only=True)
    skills = serializers.SerializerMethodField(help_text="Skill slugs: a post with any of them.")
    tags = serializers.SerializerMethodField(help_text="Tag names: a post with any of them.")

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "name",
            "exchange",
            "kind",
            "country",
            "skills",
            "tags",
            "frequency",
            "created_at",
            "updated_at",
        ]

    def get_skills(self, search: SavedSearch) -> list[str]:
        return [skill.slug for skill in search.skills.all()]

    def get_tags(self, search: SavedSearch) -> list[str]:
        return [tag.name for tag in search.tags.all()]


class SavedSearchIn(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Blank: “My search”."
    )
    exchange = serializers.ChoiceField(
        choices=Post.Exchange.choices, required=False, allow_blank=True, help_text="Blank: both."
    )
    kind = serializers.ChoiceField(
        choices=Post.Kind.choices, required=False, allow_blank=True, help_text="Blank: any kind."
    )
    country = CountryField(
        required=False,
        allow_blank=True,
        help_text="Posts in this country, and global ones. Blank: anywhere.",
    )
    skills = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=SEARCH_SKILLS_MAX,
        required=False,
        help_text="Skill slugs (`/api/v1/skills/`).",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=TAGS_MAX, required=False
    )
    frequency = serializers.ChoiceField(
        choices=SavedSearch.Frequency.choices, required=False, help_text="Weekly when not sent."
    )

    def validate_skills(self, slugs: list[str]) -> list[Skill]:
        """The skills, found in one query whatever their number, in the order sent."""
        found = {skill.slug: skill for skill in Skill.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise serializers.ValidationError(
                _("No skill has the slug %(slugs)s.") % {"slugs": ", ".join(unknown)}
            )
        return list({slug: found[slug] for slug in slugs}.values())


class SavedSearchChangeIn(SavedSearchIn):
    """A partial change: only the fields sent change."""

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)
