"""API shapes of polls: explicit input and output per endpoint. A ballot never has a voter here:
the API says how many voted and what was counted, and to the caller only their own answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from circles.models import Circle
from members.serializers import PersonKey
from patio.api import StrictFieldsMixin
from polls.models import Poll, PollDelegation, PollOption


class PersonRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OptionOut(serializers.ModelSerializer):
    class Meta:
        model = PollOption
        fields = ["id", "label", "position", "starts_at", "duration_minutes"]


class TurnoutOut(serializers.Serializer):
    voted = serializers.IntegerField(help_text="Ballots, and the delegated votes that count.")
    delegated = serializers.IntegerField(
        help_text="Votes counted by delegation: the delegate voted, the delegator did not."
    )
    eligible = serializers.IntegerField()
    quorum = serializers.IntegerField()
    reached = serializers.BooleanField()


class OptionCountOut(serializers.Serializer):
    option = serializers.IntegerField()
    votes = serializers.IntegerField(
        help_text="Ballots choosing it (choices), its total (scores, dots)."
    )
    mean = serializers.FloatField(allow_null=True, help_text="The mean score (score polls).")


class PositionOut(serializers.Serializer):
    position = serializers.ChoiceField(choices=["agree", "abstain", "disagree", "block"])
    votes = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class TransferOut(serializers.Serializer):
    to = serializers.IntegerField(allow_null=True, help_text="The option; null when exhausted.")
    ballots = serializers.IntegerField()


class RoundOut(serializers.Serializer):
    number = serializers.IntegerField()
    votes = OptionCountOut(many=True)
    exhausted = serializers.IntegerField()
    eliminated = serializers.IntegerField(allow_null=True)
    transfers = TransferOut(many=True)
    winner = serializers.IntegerField(allow_null=True)


class SlotCountOut(serializers.Serializer):
    option = serializers.IntegerField()
    yes = serializers.IntegerField()
    maybe = serializers.IntegerField()
    no = serializers.IntegerField()


class ResultsOut(serializers.Serializer):
    ballots = serializers.IntegerField()
    delegated = serializers.IntegerField(
        help_text="Delegated votes counted beside the ballots, each as its delegate's answer."
    )
    options = OptionCountOut(many=True)
    positions = PositionOut(many=True)
    blocked = serializers.BooleanField()
    rounds = RoundOut(many=True)
    slots = SlotCountOut(many=True)
    winner = serializers.IntegerField(
        allow_null=True, help_text="Ranked choice and time polls: the winning option."
    )


def results_data(result: dict[str, Any]) -> dict[str, Any]:
    """The counting's result in the API's one shape, whatever the kind (unused parts empty)."""
    options = []
    for pk, value in (result.get("options") or {}).items():
        if isinstance(value, dict):
            options.append({"option": pk, "votes": value["total"], "mean": value["mean"]})
        else:
            options.append({"option": pk, "votes": value, "mean": None})
    counts = result.get("counts") or {}
    positions = [
        {"position": p, "votes": n, "reasons": result["reasons"][p]} for p, n in counts.items()
    ]
    rounds = [
        {
            "number": r.number,
            "votes": [{"option": pk, "votes": n, "mean": None} for pk, n in r.votes.items()],
            "exhausted": r.exhausted,
            "eliminated": r.eliminated,
            "transfers": [{"to": pk or None, "ballots": n} for pk, n in r.transfers.items()],
            "winner": r.winner,
        }
        for r in result.get("rounds", [])
    ]
    slots = [{"option": pk, **tally} for pk, tally in (result.get("slots") or {}).items()]
    return {
        "ballots": result["ballots"],
        "delegated": result.get("delegated", 0),
        "options": options,
        "positions": positions,
        "blocked": bool(result.get("blocked")),
        "rounds": rounds,
        "slots": slots,
        "winner": result.get("winner"),
    }


class OutcomeOut(serializers.Serializer):
    statement = serializers.CharField()
    review_on = serializers.DateField(allow_null=True)
    agenda_assembly = serializers.IntegerField(allow_null=True, source="agenda_assembly_id")


class PollOut(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    circle: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    options = OptionOut(many=True, read_only=True)
    turnout = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField(
        help_text="Null while the poll hides its results (until it closes)."
    )
    outcome = serializers.SerializerMethodField()
    my_answer = serializers.SerializerMethodField(
        help_text="The caller's own answer, null if they have not voted. Nobody else's is shown."
    )
    assembly = serializers.IntegerField(source="assembly_id", allow_null=True, read_only=True)

    class Meta:
        model = Poll
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "circle",
            "author",
            "electorate",
            "closes_at",
            "closed_at",
            "anonymous",
            "results_hidden",
            "quorum",
            "max_score",
            "dots",
            "options",
            "turnout",
            "results",
            "outcome",
            "my_answer",
            "assembly",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(PersonRefOut)
    def get_author(self, poll: Poll) -> dict[str, Any]:
        return {"id": poll.author_id, "name": poll.author.display_name}

    @extend_schema_field(TurnoutOut)
    def get_turnout(self, poll: Poll) -> dict[str, Any]:
        from polls.selectors import turnout

        t = turnout(poll)
        return {
            "voted": t.voted,
            "delegated": t.delegated,
            "eligible": t.eligible,
            "quorum": t.quorum,
            "reached": t.reached,
        }

    @extend_schema_field(ResultsOut(allow_null=True))
    def get_results(self, poll: Poll) -> dict[str, Any] | None:
        from polls.selectors import results

        result = results(poll, self.context["request"].user)
        return None if result is None else results_data(result)

    @extend_schema_field(OutcomeOut(allow_null=True))
    def get_outcome(self, poll: Poll) -> dict[str, Any] | None:
        outcome = getattr(poll, "outcome", None)
        return None if outcome is None else OutcomeOut(outcome).data

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_my_answer(self, poll: Poll) -> Any:
        from polls.selectors import own_answer

        return own_answer(poll, self.context["request"].user)


class VoteIn(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.JSONField(
        help_text='The answer, shaped by the poll\'s kind: {"position": "agree", "reason": ""} '
        '(proposal), {"option": 3} (single), {"options": [3, 4]} (multiple), {"scores": '
        '{"3": 5}} (score), {"ranking": [4, 3]} (ranked), {"dots": {"3": 6}} (dot), '
        '{"slots": {"3": "yes", "4": "maybe"}} (time).'
    )


class OutcomeIn(StrictFieldsMixin, serializers.Serializer):
    statement = serializers.CharField(max_length=5000)
    review_on = serializers.DateField(required=False, allow_null=True)
    to_next_assembly = serializers.BooleanField(required=False, default=False)


class PollDelegationIn(StrictFieldsMixin, serializers.Serializer):
    delegate = PersonKey(help_text="Another voter in this poll, who will carry your vote.")


class PollDelegationOut(serializers.ModelSerializer):
    delegator = serializers.SerializerMethodField()
    delegate = serializers.SerializerMethodField()

    class Meta:
        model = PollDelegation
        fields = ["id", "poll", "delegator", "delegate", "created_at"]

    @extend_schema_field(PersonRefOut)
    def get_delegator(self, given: PollDelegation) -> dict[str, Any]:
        return {"id": given.delegator_id, "name": given.delegator.display_name}

    @extend_schema_field(PersonRefOut)
    def get_delegate(self, given: PollDelegation) -> dict[str, Any]:
        return {"id": given.delegate_id, "name": given.delegate.display_name}


class OptionIn(StrictFieldsMixin, serializers.Serializer):
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]


class PollIn(StrictFieldsMixin, serializers.Serializer):
    """A new poll, as `polls.services.poll_create` takes it; its options shaped as they are
    read, `{"label": "…"}`."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, default="")
    kind = serializers.ChoiceField(choices=Poll.Kind.choices)
    options = serializers.ListField(
        child=OptionIn(),
        required=False,
        default=list,
        max_length=40,
        help_text="Every kind but proposals (fixed positions) and time polls: 2 to 40 labels.",
    )
    slots = serializers.ListField(
        child=serializers.DateTimeField(),
        required=False,
        default=list,
        max_length=40,
        help_text="Time polls: each slot's start, ISO 8601 with its offset.",
    )
    slot_minutes = serializers.IntegerField(min_value=15, max_value=600, default=90)
    circle = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Circle.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The circle's poll; none for the whole network's.",
    )
    electorate = serializers.ChoiceField(choices=Poll.Electorate.choices, default="all")
    closes_at = serializers.DateTimeField(help_text="ISO 8601 with its offset; in the future.")
    anonymous = serializers.BooleanField(default=False)
    results_hidden = serializers.BooleanField(default=False)
    quorum = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)
    max_score = serializers.IntegerField(min_value=1, max_value=100, default=5)
    dots = serializers.IntegerField(min_value=1, max_value=100, default=10)
    remind_hours_before = serializers.IntegerField(
        min_value=1, max_value=720, required=False, allow_null=True, default=None
    )
