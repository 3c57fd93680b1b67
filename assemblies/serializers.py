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
    Minutes,
    MinutesRevision,
    Rsvp,
    VoteDelegation,
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
    votes_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Those present and the votes they carried by delegation (null when the "
        "decision was recorded before the count was kept).",
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "assembly",
            *DECISION_FIELDS,
            "present_count",
            "delegated_count",
            "votes_count",
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
    author = PersonRef(read_only=True, allow_null=True)
    decided_by = PersonRef(read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = [
            "id",
            "assembly",
            "agenda_item",
            "decision",
            "status",
            "original",
            "text",
            "reason",
            "author",
            "decided_by",
            "decided_at",
            "decision_note",
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


class SuggestionIn(CorrectionIn):
    """A correction suggested to draft minutes by someone who was present."""

    class Meta(CorrectionIn.Meta):
        fields = ["assembly", "agenda_item", "decision", "original", "text", "reason"]


class SuggestionDecisionIn(StrictFieldsMixin, serializers.Serializer):
    accept = serializers.BooleanField(
        help_text="True applies the suggestion to the draft; false rejects it."
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MinutesRevisionOut(serializers.ModelSerializer):
    author = PersonRef(read_only=True, allow_null=True)

    class Meta:
        model = MinutesRevision
        fields = ["id", "correction", "text", "author", "created_at"]


class MinutesOut(serializers.ModelSerializer):
    published_by = PersonRef(read_only=True, allow_null=True)
    approved_by = PersonRef(read_only=True, allow_null=True)
    revisions = MinutesRevisionOut(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "assembly",
            "text",
            "published_by",
            "published_at",
            "window_closes_at",
            "approved_at",
            "approved_by",
            "revisions",
            "updated_at",
        ]


class MinutesIn(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=50000)


class DelegationIn(StrictFieldsMixin, serializers.Serializer):
    delegate = PersonKey(help_text="The active member who will carry your vote.")


class VoteDelegationOut(serializers.ModelSerializer):
    delegator = PersonRef(read_only=True)
    delegate = PersonRef(read_only=True)

    class Meta:
        model = VoteDelegation
        fields = ["id", "assembly", "delegator", "delegate", "created_at", "used_at"]


class QuorumOut(serializers.Serializer):
    active = serializers.IntegerField(help_text="Active members of the network.")
    percent = serializers.IntegerField(help_text="The share of them that makes quorum.")
    needed = serializers.IntegerField()
    going = serializers.IntegerField()
    maybe = serializers.IntegerField()
    present = serializers.IntegerField()
    counting_presence = serializers.BooleanField(
        help_text="True once the assembly is open: those present count, not those going."
    )
    delegated = serializers.IntegerField(help_text="Votes carried by delegation that count now.")
    overridden = serializers.IntegerField(
        help_text="Delegations whose delegator is there and votes themselves."
    )
    count = serializers.IntegerField(help_text="The votes toward quorum, delegated ones included.")
    reached = serializers.BooleanField()


class RotationVolunteerOut(serializers.Serializer):
    person = PersonRef()
    last_served = serializers.DateTimeField(allow_null=True)


class RotationOut(serializers.Serializer):
    facilitator = PersonRef(allow_null=True)
    note_taker = PersonRef(allow_null=True)
    volunteers = RotationVolunteerOut(many=True, help_text="In the order the rotation takes them.")


class RotationIn(StrictFieldsMixin, serializers.Serializer):
    facilitator = PersonKey()
    note_taker = PersonKey()
