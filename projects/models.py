"""Job opportunities: work a circle posts for the network to staff, the roles it needs, and who
is interested. (Teams and matching join them here.)"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from members.models import Language, Organisation, Person, PersonSkill, Skill

# ISO 4217 codes the network's co-ops invoice in; money is always Decimal with its currency.
CURRENCIES = [
    ("EUR", "EUR"), ("USD", "USD"), ("GBP", "GBP"), ("ARS", "ARS"), ("BRL", "BRL"),
    ("CAD", "CAD"), ("CHF", "CHF"), ("CLP", "CLP"), ("COP", "COP"), ("MXN", "MXN"),
    ("UYU", "UYU"), ("BGN", "BGN"), ("PLN", "PLN"), ("SEK", "SEK"), ("DKK", "DKK"),
    ("NOK", "NOK"), ("AUD", "AUD"), ("NZD", "NZD"), ("INR", "INR"), ("ZAR", "ZAR"),
    ("KES", "KES"), ("JPY", "JPY"), ("KRW", "KRW"),
]  # fmt: skip
MAX_BUDGET = 10_000_000


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        MATCHING = "matching", _("Matching")
        TEAM_PROPOSED = "proposed", _("Team proposed")
        STAFFED = "staffed", _("Staffed")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # The only moves allowed; projects.services.opportunity_transition enforces and records them.
    TRANSITIONS = {
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
        Circle, verbose_name=_("posting circle"), on_delete=models.PROTECT,
        related_name="opportunities",
    )  # fmt: skip
    # Empty when a network admin without a profile of their own posts.
    posted_by = models.ForeignKey(
        Person, verbose_name=_("posted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    source_coop = models.ForeignKey(
        Organisation, verbose_name=_("source co-op"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="brought_opportunities",
        help_text=_("The member co-op bringing the work, if any."),
    )  # fmt: skip
    client_organisation = models.ForeignKey(
        Organisation, verbose_name=_("client co-op"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="client_opportunities",
    )  # fmt: skip
    client_name = models.CharField(
        _("client (outside organisation)"), max_length=200, blank=True,
        help_text=_("When the client is not a member co-op."),
    )  # fmt: skip
    working_languages = models.ManyToManyField(
        Language, verbose_name=_("working languages"), blank=True, related_name="+"
    )
    core_hours_start_utc = models.TimeField(_("core hours start (UTC)"), null=True, blank=True)
    core_hours_end_utc = models.TimeField(
        _("core hours end (UTC)"), null=True, blank=True,
        help_text=_("May be earlier than the start: the window then runs past midnight UTC."),
    )  # fmt: skip
    estimated_effort_hours = models.PositiveIntegerField(
        _("estimated effort (hours)"), null=True, blank=True,
        validators=[MaxValueValidator(100_000)],
    )  # fmt: skip
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_BUDGET)],
    )  # fmt: skip
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
    updated_at = models.DateTimeField(auto_now=True)

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
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
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


class RoleSkill(models.Model):
    role = models.ForeignKey(
        OpportunityRole, verbose_name=_("role"), on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"),
        choices=PersonSkill.Level.choices,
        default=PersonSkill.Level.PRACTITIONER,
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How much this skill counts for the role, 1 to 5."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="one_requirement_per_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.min_level}"


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
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_status} → {self.to_status}"


class Interest(models.Model):
    """A member says they would like to work on an opportunity (once; they may withdraw)."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE,
        related_name="interests",
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="interests"
    )
    role = models.ForeignKey(
        OpportunityRole, verbose_name=_("role"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="interests",
    )  # fmt: skip
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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person"], name="one_notification_per_person"
            )
        ]
        indexes = [models.Index(fields=["channel", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.person_id} ({self.channel})"
