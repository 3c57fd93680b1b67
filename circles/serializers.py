"""API shapes for circles: one output and one input serializer per resource."""

from __future__ import annotations

from rest_framework import serializers

from circles.models import Circle, CircleMembership
from circles.services import CIRCLE_FIELDS, MAX_ACCOUNTABILITIES, MAX_ACCOUNTABILITY_LENGTH
from members.models import Person
from members.serializers import OrganisationSummary, PersonKey
from patio.api import StrictFieldsMixin
from patio.dates import network_today


class PersonSummary(serializers.ModelSerializer):
    """A person with their home co-op, as everywhere."""

    organisation = OrganisationSummary(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "display_name", "organisation", "participation"]


class CoordinatorOut(serializers.Serializer):
    person = PersonSummary(read_only=True)
    since = serializers.DateField(source="start_date", read_only=True)


class CircleOut(serializers.ModelSerializer):
    # The stubs' Field.parent is the enclosing serializer; a declared field never becomes one.
    parent: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True
    )
    accountabilities = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What the circle is counted on for.",
    )
    member_count = serializers.IntegerField(read_only=True)
    coordinators = CoordinatorOut(source="coordinator_memberships", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Circle
        fields = ["id", "slug", *CIRCLE_FIELDS, "member_count", "coordinators", "url", "updated_at"]

    def get_url(self, circle) -> str:
        request = self.context.get("request")
        path = circle.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CircleIn(StrictFieldsMixin, serializers.ModelSerializer):
    accountabilities = serializers.ListField(
        child=serializers.CharField(max_length=MAX_ACCOUNTABILITY_LENGTH),
        required=False,
        max_length=MAX_ACCOUNTABILITIES,
    )
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]  # as in CircleOut
        slug_field="slug", queryset=Circle.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Circle
        fields = list(CIRCLE_FIELDS)


class CircleCreateIn(CircleIn):
    coordinators = PersonKey(
        many=True,
        required=False,
        help_text='The people who coordinate the circle from today, each as `{"id": 12}`.',
    )

    class Meta(CircleIn.Meta):
        fields = [*CircleIn.Meta.fields, "coordinators"]


class CircleMembershipOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    person = PersonSummary(read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = CircleMembership
        fields = [
            "id",
            "circle",
            "person",
            "role",
            "hours_per_month",
            "duties",
            "start_date",
            "end_date",
            "is_current",
            "updated_at",
        ]

    def get_is_current(self, membership) -> bool:
        today = network_today()
        return membership.start_date <= today and (
            membership.end_date is None or membership.end_date >= today
        )


class CircleMembershipCreateIn(StrictFieldsMixin, serializers.Serializer):
    circle = serializers.SlugRelatedField(slug_field="slug", queryset=Circle.objects.all())
    person = PersonKey()
    role = serializers.ChoiceField(
        choices=CircleMembership.Role.choices, default=CircleMembership.Role.MEMBER
    )
    hours_per_month = serializers.IntegerField(min_value=0, max_value=200, default=0)
    duties = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(required=False, allow_null=True, default=None)


class CircleMembershipUpdateIn(StrictFieldsMixin, serializers.Serializer):
    role = serializers.ChoiceField(choices=CircleMembership.Role.choices, required=False)
    hours_per_month = serializers.IntegerField(min_value=0, max_value=200, required=False)
    duties = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CircleMembershipEndIn(StrictFieldsMixin, serializers.Serializer):
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The last day of the membership; empty ends it now (yesterday was its last day).",
    )
