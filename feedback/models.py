"""Feedback a person asks of their teammates, as the network's feedback policy describes it:
asked for first, then given, specific and about the work.

A `FeedbackRequest` is one person's ask (about a project of theirs, or about their work in
general), with a closing time and one reminder halfway to it. Each person asked has a
`FeedbackInvite` (unique per request and person), which holds their answer: what went well, what
to change and a free note. The answers are the asker's alone until they share the request, which
shows its answers, without the names of who gave them, to the network's members."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Person
from projects.models import Project

MESSAGE_MAX = 2000
ANSWER_MAX = 4000


class FeedbackRequest(models.Model):
    asker = models.ForeignKey(
        Person,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="feedback_requests",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_requests",
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The one reminder goes at remind_at to those who have not answered; answers close after.
    remind_at = models.DateTimeField(_("reminder at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Claimed by beat's conditional UPDATE: the reminder round happens once per request.
    reminder_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    shared = models.BooleanField(_("shared with the network's members"), default=False)
    # Moves with every change to the request or its answers: partner tools sync by it.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_at__lt=F("closes_at")), name="feedback_remind_before_close"
            ),
            # One ask per person and project: a second POST finds the first.
            models.UniqueConstraint(
                fields=["asker", "project"],
                condition=Q(project__isnull=False),
                name="feedback_one_request_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk} asked by {self.asker_id}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:request", args=[self.pk])


class FeedbackInvite(models.Model):
    """One person asked, and their answer once they give it."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="invites")
    respondent = models.ForeignKey(
        Person,
        verbose_name=_("asked"),
        on_delete=models.CASCADE,
        related_name="feedback_invites",
    )
    went_well = models.TextField(_("What went well"), max_length=ANSWER_MAX, blank=True)
    to_change = models.TextField(_("What to change"), max_length=ANSWER_MAX, blank=True)
    note = models.TextField(_("Anything else"), max_length=ANSWER_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The invitation email, claimed once (patio.delivery).
    invite_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    invite_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The one reminder: due when the request's round is claimed, claimed and sent once.
    reminder_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("feedback invitation")
        verbose_name_plural = _("feedback invitations")
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "respondent"], name="feedback_invite_once_per_person"
            ),
            # An answer says something: at least one of its three parts.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | ~Q(went_well="")
                | ~Q(to_change="")
                | ~Q(note=""),
                name="feedback_answer_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["respondent", "answered_at"])]

    def __str__(self) -> str:
        return f"feedback {self.request_id} for {self.respondent_id}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
