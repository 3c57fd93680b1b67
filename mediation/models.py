"""Conflict resolution: a member's confidential request for help with a conflict (`Case`), what
happened to it (`CaseEvent`), the private notes of its mediators and requester (`CaseNote`), and
the emails it sends (`CaseNotice`, one per event and person).

A case names no one in its `__str__` (the audit log's label): "Case #12"."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Person


class Case(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("mediation case", "Received")
        IN_MEDIATION = "in_mediation", _("In mediation")
        AGREEMENT = "agreement", _("Agreement reached")
        NO_AGREEMENT = "no_agreement", _("Closed without agreement")
        ESCALATED = "escalated", _("Escalated to the assembly")

    # Where each state may go. The last three end the case.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        State.RECEIVED: (State.IN_MEDIATION, State.NO_AGREEMENT, State.ESCALATED),
        State.IN_MEDIATION: (State.AGREEMENT, State.NO_AGREEMENT, State.ESCALATED),
    }
    ENDED = (State.AGREEMENT, State.NO_AGREEMENT, State.ESCALATED)

    requester = models.ForeignKey(
        Person, verbose_name=_("requester"), on_delete=models.CASCADE, related_name="+"
    )
    involved = models.ManyToManyField(
        Person, verbose_name=_("people involved"), related_name="+", blank=False
    )
    what_happened = models.TextField(_("what happened"), max_length=5000)
    hoped_for = models.TextField(_("what you hope for"), max_length=2000)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    meeting_at = models.DateTimeField(_("meeting"), null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=60)
    meeting_place = models.CharField(_("where"), max_length=300, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting_minutes__gte=15, meeting_minutes__lte=480),
                name="mediation_case_meeting_length",
            ),
            models.CheckConstraint(
                condition=models.Q(escalated_at__isnull=True) | models.Q(state="escalated"),
                name="mediation_case_escalated_state",
            ),
        ]

    def __str__(self) -> str:
        return f"Case #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:case", args=[self.pk])

    @property
    def is_ended(self) -> bool:
        return self.state in self.ENDED

    def next_states(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.state, ())


class CaseEvent(models.Model):
    """One step in a case's life: opened, a state change, a meeting set or moved. The case
    page's history, and what its emails are about."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        STATE = "state", _("State changed")
        MEETING = "meeting", _("Meeting scheduled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    state = models.CharField(max_length=16, choices=Case.State.choices)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id}"


class CaseNote(models.Model):
    """A private note on a case: read only by its mediators (those not involved) and its
    requester, written by either."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on case {self.case_id}"


class CaseNotice(models.Model):
    """One email about one event of a case to one person: a new case to a mediator, news to the
    requester. The unique row is the promise that it goes once (patio.delivery)."""

    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="notices")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="case_notice_once")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.person_id}"
