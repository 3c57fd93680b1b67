"""API shapes of discussions: explicit input and output per endpoint."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from circles.models import Circle
from discussions.models import BODY_MAX, TITLE_MAX, Comment, Thread
from patio.api import StrictFieldsMixin
from policies.models import Policy
from polls.models import Poll


class AuthorOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubjectOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["circle", "agenda_item", "policy", "opportunity"])
    id = serializers.IntegerField()


class ThreadOut(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    poll: serializers.PrimaryKeyRelatedField[Poll] = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The poll the thread carries: /api/v1/polls/{id}/.",
    )

    class Meta:
        model = Thread
        fields = [
            "id",
            "title",
            "visibility",
            "subject",
            "author",
            "reply_count",
            "poll",
            "unread",
            "closed_at",
            "last_activity_at",
            "created_at",
            "url",
        ]

    def get_author(self, thread: Thread) -> AuthorOut:
        return {"id": thread.author_id, "name": thread.author.display_name}  # type: ignore[return-value]

    @extend_schema_field(SubjectOut(allow_null=True))
    def get_subject(self, thread: Thread) -> SubjectOut | None:
        for name in ("circle", "agenda_item", "policy", "opportunity"):
            pk = getattr(thread, f"{name}_id")
            if pk is not None:
                return {"type": name, "id": pk}  # type: ignore[return-value]
        return None

    def get_unread(self, thread: Thread) -> int:
        """Comments by others since the caller last read the thread (0 for visitors)."""
        return int(getattr(thread, "unread", 0) or 0)

    def get_url(self, thread: Thread) -> str:
        request = self.context.get("request")
        path = thread.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


ThreadOut.get_author.__annotations__["return"] = AuthorOut


class ThreadIn(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX, help_text="The opening post, in Markdown.")
    visibility = serializers.ChoiceField(choices=Thread.Visibility.choices, required=False)
    circle = serializers.SlugRelatedField(
        slug_field="slug", queryset=Circle.objects.all(), required=False
    )
    policy = serializers.SlugRelatedField(
        slug_field="slug", queryset=Policy.objects.all(), required=False
    )
    opportunity = serializers.IntegerField(required=False, help_text="An opportunity's id.")
    agenda_item = serializers.IntegerField(required=False, help_text="An agenda item's id.")


class CommentOut(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "is_opening",
            "parent",
            "author",
            "body",
            "hidden",
            "hidden_reason",
            "edited_at",
            "created_at",
        ]

    def get_author(self, comment: Comment) -> AuthorOut:
        return {"id": comment.author_id, "name": comment.author.display_name}  # type: ignore[return-value]

    def get_body(self, comment: Comment) -> str:
        """Empty when a moderator hid the comment (`hidden_reason` says why)."""
        return "" if comment.is_hidden else comment.body

    def get_hidden(self, comment: Comment) -> bool:
        return comment.is_hidden


CommentOut.get_author.__annotations__["return"] = AuthorOut


class CommentIn(StrictFieldsMixin, serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX)
    reply_to = serializers.IntegerField(
        required=False,
        help_text="The comment answered; a reply to a reply goes under the same top-level reply.",
    )
