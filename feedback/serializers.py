"""What the feedback endpoints answer: a request of the caller's own, with every person asked
and their answer (the asker's to read, names included)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import FeedbackInvite, FeedbackRequest


class FeedbackAnswerOut(serializers.ModelSerializer):
    respondent = serializers.IntegerField(source="respondent_id", read_only=True)
    respondent_name = serializers.CharField(source="respondent.display_name", read_only=True)
    answered_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null until they answer."
    )

    class Meta:
        model = FeedbackInvite
        fields = [
            "respondent",
            "respondent_name",
            "went_well",
            "to_change",
            "note",
            "answered_at",
        ]
        read_only_fields = fields


class FeedbackRequestOut(serializers.ModelSerializer):
    project = serializers.IntegerField(
        source="project_id",
        read_only=True,
        allow_null=True,
        help_text="Null when asked at any time.",
    )
    answers = FeedbackAnswerOut(
        source="invites", many=True, read_only=True, help_text="Everyone asked, answered or not."
    )

    class Meta:
        model = FeedbackRequest
        fields = [
            "id",
            "project",
            "message",
            "created_at",
            "remind_at",
            "closes_at",
            "shared",
            "answers",
            "updated_at",
        ]
        read_only_fields = fields
