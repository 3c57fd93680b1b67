"""API shapes for job opportunities: explicit input and output serializers per endpoint."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from circles.models import Circle
from members.models import Language, Organisation, PersonSkill, Skill
from patio.api import StrictFieldsMixin
from projects.models import (
    CURRENCIES,
    MAX_BUDGET,
    Interest,
    MatchRun,
    Opportunity,
    OpportunityRole,
    OpportunityTransition,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)
from projects.services.opportunities import FIELDS as OPPORTUNITY_FIELDS

STATUS_HELP = "One of: " + ", ".join(Opportunity.Status.values) + "."


class RoleSkillOut(serializers.ModelSerializer):
    """A skill a role asks for; a team role's skills (TeamRoleSkillOut) read the same."""

    skill: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    skill_name = serializers.CharField(source="skill.name", read_only=True)
    min_level = serializers.IntegerField(
        read_only=True, help_text="1 learning, 2 practitioner, 3 expert, 4 can teach."
    )

    class Meta:
        model = RoleSkill
        fields = ["skill", "skill_name", "min_level", "weight"]


class RoleOut(serializers.ModelSerializer):
    skills = RoleSkillOut(many=True, read_only=True)

    class Meta:
        model = OpportunityRole
        fields = ["id", "title", "headcount", "hours_per_week", "skills"]


class OpportunityOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    source_coop: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    client_organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    working_languages: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    # Plain strings in the schema: an enum here collides with the other apps' `status` enums.
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    roles = RoleOut(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            *OPPORTUNITY_FIELDS,
            "circle",
            "status",
            "roles",
            "opened_at",
            "created_at",
            "updated_at",
            "url",
        ]

    def get_url(self, opportunity) -> str:
        request = self.context.get("request")
        path = opportunity.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class RoleSkillIn(StrictFieldsMixin, serializers.Serializer):
    skill = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())
    min_level = serializers.IntegerField(
        min_value=1,
        max_value=4,
        default=PersonSkill.Level.PRACTITIONER,
        help_text="1 learning, 2 practitioner, 3 expert, 4 can teach.",
    )
    weight = serializers.IntegerField(min_value=1, max_value=5, default=3)


class RoleIn(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=120)
    headcount = serializers.IntegerField(min_value=1, max_value=50, default=1)
    hours_per_week = serializers.IntegerField(min_value=1, max_value=80)
    skills = RoleSkillIn(many=True, max_length=15, default=list)  # type: ignore[call-arg]  # the list's max_length


class OpportunityIn(StrictFieldsMixin, serializers.Serializer):
    """What a coordinator sends to post or edit; `roles`, when sent, replace all roles."""

    circle = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Circle.objects.all(),
        help_text="The posting circle (create only).",
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    visibility = serializers.ChoiceField(choices=Opportunity.Visibility.choices, required=False)
    source_coop = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    client_organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    client_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    working_languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    core_hours_start_utc = serializers.TimeField(required=False, allow_null=True)
    core_hours_end_utc = serializers.TimeField(required=False, allow_null=True)
    estimated_effort_hours = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, allow_null=True
    )
    budget = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_BUDGET,
        required=False,
        allow_null=True,
        coerce_to_string=True,
    )
    currency = serializers.ChoiceField(choices=CURRENCIES, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    roles = RoleIn(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # the list's max_length

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            self.fields.pop("circle")

    def validate_roles(self, roles):
        for role in roles:
            slugs = [item["skill"].slug for item in role["skills"]]
            if len(set(slugs)) != len(slugs):
                raise serializers.ValidationError(_("Each skill can be listed once per role."))
        return roles


class TransitionIn(StrictFieldsMixin, serializers.Serializer):
    to_status = serializers.CharField(max_length=10, help_text=STATUS_HELP)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    leave_unfilled = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Moving to `staffed` or `closed` while some role has nobody accepted: say so, "
        "and the transition records the roles left unfilled. Without it the move is refused.",
    )


class AlertsOut(serializers.Serializer):
    """Before opening, who opening would alert; after, who was. The other half is null."""

    will_alert_now = serializers.IntegerField(
        allow_null=True, help_text="People opening it emails at once (before opening)."
    )
    will_alert_in_digest = serializers.IntegerField(
        allow_null=True,
        help_text="People who get it in their daily or weekly digest (before opening).",
    )
    alerted = serializers.IntegerField(
        allow_null=True, help_text="People emailed when it opened (after opening)."
    )
    alerts_pending = serializers.IntegerField(
        allow_null=True, help_text="Emails still being sent (after opening)."
    )
    in_digest = serializers.IntegerField(
        allow_null=True,
        help_text="People who get it in their daily or weekly digest (after opening).",
    )
    digests_sent = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "No longer counted (always null): digests gather each person's emails of a kind "
            "across opportunities."
        ),
    )


class TransitionOut(serializers.ModelSerializer):
    class Meta:
        model = OpportunityTransition
        fields = ["from_status", "to_status", "note", "at"]


class InterestIn(StrictFieldsMixin, serializers.Serializer):
    role = serializers.IntegerField(required=False, allow_null=True, help_text="A role's id.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class InterestOut(serializers.ModelSerializer):
    role: serializers.PrimaryKeyRelatedField[OpportunityRole] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Interest
        fields = ["id", "opportunity", "role", "note", "created_at"]


# Projects and teams -----------------------------------------------------------------------------
class TeamRoleSkillOut(RoleSkillOut):
    class Meta:
        model = TeamRoleSkill
        fields = RoleSkillOut.Meta.fields


class TeamRoleOut(serializers.ModelSerializer):
    skills = TeamRoleSkillOut(many=True, read_only=True)
    languages: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    phase = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(Project.Phase.values)
    )

    class Meta:
        model = TeamRole
        fields = [
            "id",
            "project",
            "title",
            "phase",
            "hours_per_week",
            "languages",
            "skills",
            "filled",
            "updated_at",
        ]


class ProjectOut(serializers.ModelSerializer):
    circle: serializers.SlugRelatedField[Circle] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    lead_coop: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    status = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(Project.Status.values)
    )
    phase = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(Project.Phase.values)
    )
    roles = TeamRoleOut(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "opportunity",
            "circle",
            "lead_coop",
            "phase",
            "status",
            "visibility",
            "start_date",
            "end_date",
            "min_coops",
            "max_per_coop",
            "roles",
            "created_at",
            "url",
            "updated_at",
        ]

    def get_url(self, project) -> str:
        request = self.context.get("request")
        path = project.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class TeamMembershipOut(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    coop: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        source="person.organisation", slug_field="slug", read_only=True
    )
    status = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(TeamMembership.Status.values)
    )

    class Meta:
        model = TeamMembership
        fields = [
            "id",
            "project",
            "role",
            "person",
            "person_name",
            "coop",
            "status",
            "hours_per_week",
            "start_date",
            "end_date",
            "invited_at",
            "responded_at",
            "updated_at",
        ]


class RespondIn(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.ChoiceField(choices=["accept", "decline"])


class MatchIn(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=MatchRun.Mode.values, default=MatchRun.Mode.ALL_ROLES)
    role = serializers.IntegerField(required=False, help_text="The open role, in mode `one`.")


class MatchRunOut(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(MatchRun.Status.values)
    )
    mode = serializers.CharField(read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "project",
            "mode",
            "role",
            "status",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
            "solver_status",
            "proven_gap",
            "result",
        ]


class TeamRoleIn(StrictFieldsMixin, serializers.Serializer):
    """One seat of a team; on PATCH the fields not sent keep their values."""

    project = serializers.IntegerField(help_text="The project's id (create only).")
    title = serializers.CharField(max_length=120)
    phase = serializers.ChoiceField(
        choices=Project.Phase.choices, default=Project.Phase.DEVELOPMENT
    )
    hours_per_week = serializers.IntegerField(min_value=1, max_value=80)
    languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    skills = RoleSkillIn(many=True, max_length=15, required=False)  # type: ignore[call-arg]  # the list's max_length

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            self.fields.pop("project")

    def validate_skills(self, skills):
        slugs = [item["skill"].slug for item in skills]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError(_("Each skill can be listed once per role."))
        return skills


class ProjectIn(StrictFieldsMixin, serializers.Serializer):
    """A standalone project (create) or a project's own fields (PATCH: send what changes)."""

    circle = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Circle.objects.all(),
        help_text="The coordinating circle (create only): one you coordinate.",
    )
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    phase = serializers.ChoiceField(choices=Project.Phase.choices, required=False)
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False)
    visibility = serializers.ChoiceField(choices=Opportunity.Visibility.choices, required=False)
    lead_coop = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    client_organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    client_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    core_hours_start_utc = serializers.TimeField(required=False, allow_null=True)
    core_hours_end_utc = serializers.TimeField(required=False, allow_null=True)
    min_overlap_hours = serializers.IntegerField(min_value=0, max_value=24, required=False)
    min_coops = serializers.IntegerField(min_value=1, max_value=50, required=False)
    max_per_coop = serializers.IntegerField(
        min_value=1, max_value=50, required=False, allow_null=True
    )
    roles = TeamRoleIn(many=True, required=False, max_length=20, creating=False)

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            self.fields.pop("circle")
            self.fields.pop("roles")
