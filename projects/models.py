"""Job opportunities: work a circle posts for the network to staff, the roles it needs, and who
is interested. (Teams and matching join them here.)"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from circles.models import Circle
from members.models import Language, Organisation, Person, PersonSkill, Skill

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# ISO 4217 codes the network's co-ops invoice in; money is always Decimal with its currency.
CURRENCIES = [
    ("EUR", "EUR"),
    ("USD", "USD"),
    ("GBP", "GBP"),
    ("ARS", "ARS"),
    ("BRL", "BRL"),
    ("CAD", "CAD"),
    ("CHF", "CHF"),
    ("CLP", "CLP"),
    ("COP", "COP"),
    ("MXN", "MXN"),
    ("UYU", "UYU"),
    ("BGN", "BGN"),
    ("PLN", "PLN"),
    ("SEK", "SEK"),
    ("DKK", "DKK"),
    ("NOK", "NOK"),
    ("AUD", "AUD"),
    ("NZD", "NZD"),
    ("INR", "INR"),
    ("ZAR", "ZAR"),
    ("KES", "KES"),
    ("JPY", "JPY"),
    ("KRW", "KRW"),
]
MAX_BUDGET = 10_000_000


def _coop_field(
    verbose_name: StrOrPromise, related_name: str, **extra: Any
) -> models.ForeignKey[Organisation | None, Organisation | None]:
    """An optional co-op of the network (source, lead or client); the row outlives the co-op."""
    return models.ForeignKey(
        Organisation,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **extra,
    )


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("opportunity status", "Draft")
        OPEN = "open", pgettext_lazy("opportunity status", "Open")
        MATCHING = "matching", pgettext_lazy("opportunity status", "Matching")
        TEAM_PROPOSED = "proposed", pgettext_lazy("opportunity status", "Team proposed")
        STAFFED = "staffed", pgettext_lazy("opportunity status", "Staffed")
        CLOSED = "closed", pgettext_lazy("opportunity status", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("opportunity status", "Cancelled")

    # The only moves allowed; projects.services.opportunities.opportunity_transition enforces and records them.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.DRAFT: {Status.OPEN, Status.CANCELLED},
        Status.OPEN: {Status.MATCHING, Status.CLOSED, Status.CANCELLED},
        Status.MATCHING: {Status.TEAM_PROPOSED, Status.OPEN, Status.CANCELLED},
        Status.TEAM_PROPOSED: {Status.STAFFED, Status.MATCHING, Status.CANCELLED},
        Status.STAFFED: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    }

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Network members only")
        PUBLIC = "public", _("Public")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    circle = models.ForeignKey(
        Circle,
        verbose_name=_("posting circle"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    # Empty when a network admin without a profile of their own posts.
    posted_by = models.ForeignKey(
        Person,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_coop = _coop_field(
        _("source co-op"),
        "brought_opportunities",
        help_text=_("The member co-op bringing the work, if any."),
    )
    client_organisation = _coop_field(_("client co-op"), "client_opportunities")
    client_name = models.CharField(
        _("client (outside organisation)"),
        max_length=200,
        blank=True,
        help_text=_("When the client is not a member co-op."),
    )
    working_languages = models.ManyToManyField(
        Language, verbose_name=_("working languages"), blank=True, related_name="+"
    )
    core_hours_start_utc = models.TimeField(_("core hours start (UTC)"), null=True, blank=True)
    core_hours_end_utc = models.TimeField(
        _("core hours end (UTC)"),
        null=True,
        blank=True,
        help_text=_("May be earlier than the start: the window then runs past midnight UTC."),
    )
    estimated_effort_hours = models.PositiveIntegerField(
        _("estimated effort (hours)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_BUDGET)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    visibility = models.CharField(
        _("who can see it"), max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("job opportunity")
        verbose_name_plural = _("job opportunities")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(start_date__isnull=True)
                | Q(deadline__gte=F("start_date")),
                name="opportunity_deadline_after_start",
            ),
            models.CheckConstraint(
                # As `_clean_budget` says: no budget is NULL, never 0, and never above the maximum.
                condition=Q(budget__isnull=True) | Q(budget__gt=0, budget__lte=MAX_BUDGET),
                name="opportunity_budget_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:opportunity", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class OpportunityRole(models.Model):
    """A role the work needs: a designer for 10 hours a week, two developers for 20…"""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="roles"
    )
    title = models.CharField(_("role"), max_length=120)
    headcount = models.PositiveSmallIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class SkillRequirement(models.Model):
    """A skill a role asks for, at a minimum level and with a weight: the same for a role of an
    opportunity (RoleSkill) and a seat of a team (TeamRoleSkill), which the matcher reads alike."""

    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"),
        choices=PersonSkill.Level.choices,
        default=PersonSkill.Level.PRACTITIONER,
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How much this skill counts for the role, 1 to 5."),
    )

    class Meta:
        abstract = True
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.min_level}"


class RoleSkill(SkillRequirement):
    role = models.ForeignKey(
        OpportunityRole, verbose_name=_("role"), on_delete=models.CASCADE, related_name="skills"
    )

    class Meta(SkillRequirement.Meta):
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="one_requirement_per_skill")
        ]


class OpportunityTransition(models.Model):
    """The opportunity's history: every status change, who made it and when."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=10, choices=Opportunity.Status.choices)
    to_status = models.CharField(max_length=10, choices=Opportunity.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)
    # The roles nobody had accepted when staffing ended ("staffed" or "closed" short of a full
    # team): [{"title", "hours_per_week"}], written once, so the record outlives later edits.
    unfilled_roles = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_status} → {self.to_status}"


class Interest(models.Model):
    """A member says they would like to work on an opportunity (once; they may withdraw)."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="interests"
    )
    role = models.ForeignKey(
        OpportunityRole,
        verbose_name=_("role"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person"], name="one_interest_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.opportunity}"


class OpportunityNotification(models.Model):
    """One person told about one opportunity: the unique key makes the fan-out idempotent."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="notifications"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Person.Notify.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)  # claimed to send

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person"], name="one_notification_per_person"
            )
        ]
        indexes = [models.Index(fields=["channel", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.person_id} ({self.channel})"


# Projects and teams -----------------------------------------------------------------------------
class Project(models.Model):
    """A team at work: formed whole for an opportunity, or standing on its own (network work)."""

    class Phase(models.TextChoices):
        IDEA = "idea", _("Idea")
        DESIGN = "design", _("Design")
        DEVELOPMENT = "development", _("Development")
        MAINTENANCE = "maintenance", _("Maintenance")
        MARKETING = "marketing", _("Marketing")

    class Status(models.TextChoices):
        FORMING = "forming", pgettext_lazy("project status", "Forming")
        ACTIVE = "active", pgettext_lazy("project status", "Active")
        PAUSED = "paused", pgettext_lazy("project status", "Paused")
        FINISHED = "finished", pgettext_lazy("project status", "Finished")

    # Statuses in which a team's committed hours count against its people's availability.
    BUSY_STATUSES = (Status.FORMING, Status.ACTIVE)

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000, blank=True)
    opportunity = models.OneToOneField(
        Opportunity,
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project",
    )
    circle = models.ForeignKey(
        Circle,
        verbose_name=_("coordinating circle"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    leads = models.ManyToManyField(
        Person, verbose_name=_("project leads"), blank=True, related_name="led_projects"
    )
    lead_coop = _coop_field(_("lead co-op"), "led_projects")
    source_coop = _coop_field(
        _("source co-op"),
        "sourced_projects",
        help_text=_("Its own people are preferred where they fit equally well."),
    )
    client_organisation = _coop_field(_("client co-op"), "client_projects")
    client_name = models.CharField(_("client (outside organisation)"), max_length=200, blank=True)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.IDEA)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FORMING, db_index=True
    )
    visibility = models.CharField(
        _("who can see it"),
        max_length=8,
        choices=Opportunity.Visibility.choices,
        default=Opportunity.Visibility.MEMBERS,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    core_hours_start_utc = models.TimeField(_("core hours start (UTC)"), null=True, blank=True)
    core_hours_end_utc = models.TimeField(_("core hours end (UTC)"), null=True, blank=True)
    min_overlap_hours = models.PositiveSmallIntegerField(
        _("minimum overlap with the core hours (hours)"),
        default=2,
        validators=[MaxValueValidator(24)],
    )
    min_coops = models.PositiveSmallIntegerField(
        _("at least this many co-ops in the team"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    max_per_coop = models.PositiveSmallIntegerField(
        _("at most this many people from one co-op"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Empty: half the team, rounded up."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility", "-created_at"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.pk])


class TeamRole(models.Model):
    """One seat in a team: one person fills it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="roles"
    )
    title = models.CharField(_("role"), max_length=120)
    phase = models.CharField(
        _("phase"), max_length=12, choices=Project.Phase.choices, default=Project.Phase.DEVELOPMENT
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages (any of)"), blank=True, related_name="+"
    )
    filled = models.BooleanField(_("filled"), default=False)
    source_role = models.ForeignKey(
        OpportunityRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Set by the `live_memberships` prefetch of projects.selectors.teams (to_attr).
    live_memberships: list[TeamMembership]

    class Meta:
        verbose_name = _("team role")
        verbose_name_plural = _("team roles")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class TeamRoleSkill(SkillRequirement):
    role = models.ForeignKey(
        TeamRole, verbose_name=_("role"), on_delete=models.CASCADE, related_name="skills"
    )

    class Meta(SkillRequirement.Meta):
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="one_team_requirement_per_skill")
        ]


class MatchRun(models.Model):
    """One run of team matching for a project: queued, then run by projects.tasks.run_matching."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("match run status", "Queued")
        RUNNING = "running", pgettext_lazy("match run status", "Running")
        DONE = "done", pgettext_lazy("match run status", "Done")
        FAILED = "failed", pgettext_lazy("match run status", "Failed")

    class Mode(models.TextChoices):
        ALL_ROLES = "all", _("All open roles")
        ONE_ROLE = "one", _("Fill one role")

    class Failure(models.TextChoices):
        """Why a failed run failed, in the coordinator's words (`error` keeps the details)."""

        ERROR = "error", _("The matching stopped on an error.")
        TIME_LIMIT = "time_limit", _("The matching took longer than it is allowed to.")
        LOST = "lost", _("The matching stopped answering: the server running it was lost.")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="match_runs"
    )
    mode = models.CharField(_("mode"), max_length=4, choices=Mode.choices, default=Mode.ALL_ROLES)
    role = models.ForeignKey(
        TeamRole,
        verbose_name=_("role to fill"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker as it goes; a run "running" whose heartbeat is older than
    # MATCH_RUN_HEARTBEAT_TIMEOUT lost its worker (matching_runs.match_runs_fail_lost).
    heartbeat_at = models.DateTimeField(_("last heartbeat at"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The proposal: per role the chosen person, the score in parts, the alternates; the gap
    # report; the solver's own account (method, status, objective, bound, proven gap).
    result = models.JSONField(default=dict, blank=True)
    solver_status = models.CharField(max_length=40, blank=True)
    proven_gap = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    failure = models.CharField(_("failure"), max_length=10, choices=Failure.choices, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="match_run_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(mode="all") | Q(role__isnull=False), name="match_run_one_role_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class TeamMembership(models.Model):
    """A person in (or proposed for, or invited to) one role of a team."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("team membership status", "Proposed")
        INVITED = "invited", pgettext_lazy("team membership status", "Invited")
        ACCEPTED = "accepted", pgettext_lazy("team membership status", "Accepted")
        DECLINED = "declined", pgettext_lazy("team membership status", "Declined")
        LEFT = "left", pgettext_lazy("team membership status", "Left")

    # A person holds a role at most once in these statuses (the database says so).
    LIVE = (Status.PROPOSED, Status.INVITED, Status.ACCEPTED)
    # Hours that count against a person's availability.
    COMMITTED = (Status.INVITED, Status.ACCEPTED)

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.ForeignKey(
        TeamRole, verbose_name=_("role"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="team_memberships"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    match_run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    score = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # For someone without an account: the join link their email carries. Signing up with it
    # accepts this seat in the same step (projects.services.staffing.seats_accept_on_join).
    join_invitation = models.ForeignKey(
        "members.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_seats",
    )
    # Claimed by a conditional UPDATE before the invitation email goes: nobody is mailed twice.
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    invitation_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["role__position", "role_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(status__in=["proposed", "invited", "accepted"]),
                name="one_live_membership_per_person_role",
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(status__in=["invited", "accepted"]),
                name="one_invited_or_accepted_per_role",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.role_id} ({self.status})"
