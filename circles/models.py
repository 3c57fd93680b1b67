"""Circles: the network's areas of work, and who holds which role in them over time."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Person
from patio.dates import network_today
from patio.slugs import KeepsFormerSlugs


class Circle(KeepsFormerSlugs):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("circle status", "Active")
        DORMANT = "dormant", pgettext_lazy("circle status", "Dormant")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    purpose = models.TextField(_("purpose"), max_length=2000)
    domain = models.TextField(
        _("domain"), max_length=2000, blank=True, help_text=_("What the circle owns and decides.")
    )
    accountabilities = models.JSONField(
        _("accountabilities"),
        default=list,
        blank=True,
        help_text=_("What the circle is counted on for."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent circle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    meeting_rhythm = models.CharField(
        _("meeting rhythm"),
        max_length=200,
        blank=True,
        help_text=_("For example: every second Tuesday."),
    )
    triages_help_requests = models.BooleanField(
        _("triages help requests"),
        default=False,
        help_text=_("Its coordinators see the requests for help that outside organisations send."),
    )
    handles_conflicts = models.BooleanField(
        _("mediates conflicts"),
        default=False,
        db_default=False,  # rows written without it (older code, a migration test) mediate nothing
        help_text=_(
            "Its current members are the network's mediators: they receive the confidential "
            "requests for help with a conflict, except those that name them."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("circle")
        verbose_name_plural = _("circles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("circles:circle", args=[self.slug])


class CurrentMembershipQuerySet(models.QuerySet["CircleMembership"]):
    def current(self, on: date | None = None) -> CurrentMembershipQuerySet:
        """Memberships held on the given day (today by default)."""
        on = on or network_today()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class CircleMembership(models.Model):
    """One person holding one role in one circle for a period.

    A change of role ends the current row and starts a new one, so the history stays."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        FACILITATOR = "facilitator", _("Facilitator")
        SECRETARY = "secretary", _("Secretary")
        # Moderates the circle's discussions: closes threads, hides comments with a reason.
        MODERATOR = "moderator", _("Moderator")
        MEMBER = "member", _("Member")

    circle = models.ForeignKey(
        Circle, verbose_name=_("circle"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="circle_memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month"), default=0, validators=[MaxValueValidator(200)]
    )
    duties = models.TextField(_("duties"), max_length=1000, blank=True)
    start_date = models.DateField(_("from"), default=network_today)
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CurrentMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("circle membership")
        verbose_name_plural = _("circle memberships")
        ordering = ["circle", "role", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_circle",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.circle}"


class MembershipRequest(models.Model):
    """A person asks to join or leave a circle; a coordinator of it decides."""

    class Kind(models.TextChoices):
        JOIN = "join", _("Join")
        LEAVE = "leave", _("Leave")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("membership request status", "Pending")
        APPROVED = "approved", pgettext_lazy("membership request status", "Approved")
        DECLINED = "declined", pgettext_lazy("membership request status", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("membership request status", "Withdrawn")

    circle = models.ForeignKey(
        Circle, verbose_name=_("circle"), on_delete=models.CASCADE, related_name="requests"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="circle_requests"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        Person,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person", "kind"],
                condition=Q(status="pending"),
                name="one_pending_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.circle}: {self.person}"
