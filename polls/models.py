"""Polls: a question put to a circle or the whole network, answered by ballots and counted by
the pure functions in `polls.counting`.

A poll stands on its own (a circle's or the network's). A discussion carries one by calling
`polls.services.poll_create`; the poll knows nothing of discussions.

**Anonymity.** A ballot keeps `voter_key`, a keyed hash of the poll and the person (HMAC with
the site's secret), so a person votes once and can change their vote, and nothing else ties a
ballot to them: `voter` stays empty on an anonymous poll's ballots, its votes write no audit
events, and no page or endpoint shows whose a ballot is. Non-anonymous polls fill `voter`, so
the page can show who answered what.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from circles.models import Circle
from members.models import Person

TITLE_MAX = 200
OPTION_MAX = 200
REASON_MAX = 1000


class Poll(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", pgettext_lazy("poll kind", "Proposal")
        SINGLE = "single", pgettext_lazy("poll kind", "Single choice")
        MULTIPLE = "multiple", pgettext_lazy("poll kind", "Multiple choice")
        SCORE = "score", pgettext_lazy("poll kind", "Score")
        RANKED = "ranked", pgettext_lazy("poll kind", "Ranked choice")
        DOT = "dot", pgettext_lazy("poll kind", "Dot vote")
        TIME = "time", pgettext_lazy("poll kind", "Time poll")

    class Electorate(models.TextChoices):
        CIRCLE = "circle", _("The circle's members")
        ACTIVE = "active", _("Active members")
        ALL = "all", _("All members")

    title = models.CharField(_("question"), max_length=TITLE_MAX)
    description = models.TextField(_("details"), blank=True, max_length=5000)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    circle = models.ForeignKey(
        Circle,
        verbose_name=_("circle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
    )
    author = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.PROTECT, related_name="polls"
    )
    electorate = models.CharField(
        _("who may vote"), max_length=8, choices=Electorate.choices, default=Electorate.ALL
    )
    closes_at = models.DateTimeField(_("closes at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    anonymous = models.BooleanField(
        _("anonymous votes"), default=False, help_text=_("Nobody can see who voted what.")
    )
    results_hidden = models.BooleanField(
        _("hide results until the poll closes"),
        default=False,
        help_text=_("Nobody, not even the author, sees the results before the poll closes."),
    )
    quorum = models.PositiveIntegerField(
        _("quorum"), default=0, help_text=_("How many must vote; 0 for none.")
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    dots = models.PositiveSmallIntegerField(
        _("dots per voter"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    remind_hours_before = models.PositiveSmallIntegerField(
        _("remind those who haven't voted, hours before closing"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24 * 30)],
    )
    reminder_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    assembly = models.ForeignKey(
        "assemblies.Assembly",
        verbose_name=_("assembly made from the winning slot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(electorate="circle") | Q(circle__isnull=False),
                name="poll_circle_electorate_has_circle",
            )
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("polls:detail", args=[self.pk])

    def is_closed(self, now=None) -> bool:
        return self.closed_at is not None or self.closes_at <= (now or timezone.now())


class PollOption(models.Model):
    """One answer to choose, score, rank or spread dots on; in a time poll, one slot."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=OPTION_MAX, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position", "starts_at", "id"]

    def __str__(self) -> str:
        return self.label or (self.starts_at.isoformat() if self.starts_at else "")


class Ballot(models.Model):
    """One person's answer to one poll (see the module docstring for what links it to them)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=64, editable=False)
    voter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    answer = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter_key"], name="ballot_once_per_voter")
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class PollDelegation(models.Model):
    """A voter gives their vote in one poll to another voter, who carries it: the assemblies'
    rules (`assemblies.delegation`): one step only, at most the network's limit carried, and
    the delegator's own ballot overrides it. Revocable until the poll closes. Never in an
    anonymous poll: the delegation would show who voted."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="delegations")
    delegator = models.ForeignKey(
        Person, verbose_name=_("delegator"), on_delete=models.CASCADE, related_name="+"
    )
    delegate = models.ForeignKey(
        Person, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("poll vote delegation")
        verbose_name_plural = _("poll vote delegations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "delegator"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_poll_delegation_per_delegator",
            ),
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")),
                name="no_poll_delegation_to_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.poll_id})"


class PollReminder(models.Model):
    """One reminder to one person for one poll: the database keeps it to one."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="poll_reminder_once")
        ]

    def __str__(self) -> str:
        return f"reminder {self.pk}"


class Outcome(models.Model):
    """What the poll decided, in the author's words, and when to look at it again."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="outcome")
    statement = models.TextField(_("outcome"), max_length=5000)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    agenda_assembly = models.ForeignKey(
        "assemblies.Assembly",
        verbose_name=_("on the agenda of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.statement[:60]
