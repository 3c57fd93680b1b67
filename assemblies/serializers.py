"""API shapes for assemblies: one output and one input serializer per resource."""

from __future__ import annotations

from rest_framework import serializers

from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    CircleUpdate,
    Correction,
    Decision,
    Rsvp,
)
from assemblies.services import ASSEMBLY_FIELDS, DECISION_FIELDS
from circles.models import Circle
from members.models import Person
from members.serializers import PersonKey
from patio.api import StrictFieldsMixin


class PersonRef(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "display_name"]


class AssemblyOut(serializers.ModelSerializer):
    facilitator = PersonRef(read_only=True)
    note_taker = PersonRef(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    going = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Assembly
        fields = [
            "id",
            *ASSEMBLY_FIELDS,
            "end",
            "status",
            "series",
            "agenda_published_at",
            "going",
            "url",
            "updated_at",
        ]

    def get_url(self, assembly) -> str:
        request = self.context.get("request")
        path = assembly.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class AssemblyIn(StrictFieldsMixin, serializers.ModelSerializer):
    facilitator = PersonKey(required=False, allow_null=True)
    note_taker = PersonKey(required=False, allow_null=True)

    class Meta:
        model = Assembly
        fields = list(ASSEMBLY_FIELDS)


class RsvpIn(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.ChoiceField(choices=Rsvp.Answer.choices)


class RsvpOut(serializers.ModelSerializer):
    class Meta:
        model = Rsvp
        fields = ["assembly", "person", "answer", "updated_at"]


class AgendaItemOut(serializers.ModelSerializer):
    proposer = PersonRef(read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "assembly",
            "kind",
            "title",
            "description",
            "proposer",
            "time_box_minutes",
            "order",
            "source_key",
            "minutes",
            "updated_at",
        ]


class AgendaItemIn(StrictFieldsMixin, serializers.ModelSerializer):
    """A proposal (create) or the facilitator's edit (partial update)."""

    assembly = serializers.PrimaryKeyRelatedField(queryset=Assembly.objects.all())

    class Meta:
        model = AgendaItem
        fields = ["assembly", "kind", "title", "description", "time_box_minutes", "order"]


class CircleUpdateOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    author = PersonRef(read_only=True)

    class Meta:
        model = CircleUpdate
        fields = [
            "id",
            "assembly",
            "circle",
            "author",
            "done",
            "next",
            "needs",
            "decisions_wanted",
            "updated_at",
        ]


class CircleUpdateIn(StrictFieldsMixin, serializers.ModelSerializer):
    assembly = serializers.PrimaryKeyRelatedField(queryset=Assembly.objects.all())
    circle = serializers.SlugRelatedField(slug_field="slug", queryset=Circle.objects.all())

    class Meta:
        model = CircleUpdate
        fields = ["assembly", "circle", "done", "next", "needs", "decisions_wanted"]


class DecisionOut(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "assembly",
            *DECISION_FIELDS,
            "present_count",
            "quorum_needed",
            "created_at",
            "updated_at",
        ]


class DecisionIn(StrictFieldsMixin, serializers.ModelSerializer):
    assembly = serializers.PrimaryKeyRelatedField(queryset=Assembly.objects.all())
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Decision
        fields = ["assembly", *DECISION_FIELDS]
        extra_kwargs = {
            "without_quorum": {
                "help_text": "Record the decision although quorum is not reached (the "
                "facilitator only); it is shown as taken without quorum."
            }
        }


class ActionItemOut(serializers.ModelSerializer):
    owner = PersonRef(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "assembly",
            "agenda_item",
            "description",
            "owner",
            "due_date",
            "status",
            "updated_at",
        ]


class ActionItemIn(StrictFieldsMixin, serializers.ModelSerializer):
    assembly = serializers.PrimaryKeyRelatedField(queryset=Assembly.objects.all())
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True
    )
    owner = PersonKey()

    class Meta:
        model = ActionItem
        fields = ["assembly", "agenda_item", "description", "owner", "due_date", "status"]


class CorrectionOut(serializers.ModelSerializer):
    author = PersonRef(read_only=True)

    class Meta:
        model = Correction
        fields = [
            "id",
            "assembly",
            "agenda_item",
            "decision",
            "text",
            "reason",
            "author",
            "created_at",
            "updated_at",
        ]


class CorrectionIn(StrictFieldsMixin, serializers.ModelSerializer):
    assembly = serializers.PrimaryKeyRelatedField(queryset=Assembly.objects.all())
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True
    )
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Correction
        fields = ["assembly", "agenda_item", "decision", "text", "reason"]
