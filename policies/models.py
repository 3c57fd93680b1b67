"""Policies the collective reworks: versions, amendments, consent rounds, reminders."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Decision
from circles.models import Circle
from members.models import Person
from patio.i18n import site_languages
from patio.slugs import KeepsFormerSlugs
from patio.translations import Translation


class Policy(KeepsFormerSlugs):
    class Category(models.TextChoices):
        DECISION_MAKING = "decision_making", _("Decision making")
        CONFLICT_RESOLUTION = "conflict_resolution", _("Conflict resolution")
        FEEDBACK = "feedback", _("Feedback")
        COMPENSATION = "compensation", _("Compensation")
        MEMBERSHIP = "membership", _("Membership")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    circle = models.ForeignKey(
        Circle,
        verbose_name=_("owning circle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    # The language the original is written in: the text that binds, whatever the translations.
    language = models.CharField(
        _("language of the original"),
        max_length=8,
        choices=site_languages,
        default="en",
        help_text=_("The language the adopted text is written in."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:policy", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class PolicyVersion(models.Model):
    """One adopted text of a policy. Immutable: services never change it, save() refuses to, and
    on PostgreSQL a trigger refuses any UPDATE of its text (migration 0001)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    text = models.TextField(_("text"), max_length=100000)
    summary = models.CharField(_("summary of change"), max_length=500, blank=True)
    effective_date = models.DateField(_("effective date"))
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_versions",
    )
    consent_round = models.ForeignKey(
        "ConsentRound",
        verbose_name=_("adopted by consent round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_versions",
    )
    amendment = models.OneToOneField(
        "Amendment",
        verbose_name=_("amendment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="version",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The stubs type pk as never None; before the first save it is.
        if self.pk is not None and not self._state.adding:  # type: ignore[redundant-expr]
            raise ValidationError(_("An adopted policy version cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("policies:version", args=[self.policy.slug, self.number])

    @property
    def is_founding(self) -> bool:
        return self.decision_id is None and self.consent_round_id is None


class PolicyTranslation(Translation):
    """The policy's text in another language, made from one of its versions.

    Not a version: it adopts nothing and changes nothing that was adopted; the original is the
    text that binds. When the policy has a newer version than `source_version`, the translation
    is older than the original until someone updates it, which moves it to the current version.
    One per policy and language."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="translations"
    )
    source_version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("translated from version"),
        on_delete=models.PROTECT,
        related_name="translations",
    )
    translator = models.ForeignKey(
        Person, verbose_name=_("translator"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("policy translation")
        verbose_name_plural = _("policy translations")
        ordering = ["policy", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "language"], name="one_policy_translation_per_language"
            ),
        ]

    def get_absolute_url(self) -> str:
        return f"{self.policy.get_absolute_url()}?language={self.language}"

    def is_older_than(self, current: PolicyVersion | None) -> bool:
        """Made from an earlier version than the policy's current one."""
        return current is not None and self.source_version_id != current.pk


class Amendment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("amendment status", "Draft")
        FEEDBACK = "feedback", pgettext_lazy("amendment status", "Feedback")
        CONSENT = "consent", pgettext_lazy("amendment status", "Consent round")
        ADOPTED = "adopted", pgettext_lazy("amendment status", "Adopted")
        WITHDRAWN = "withdrawn", pgettext_lazy("amendment status", "Withdrawn")
        REJECTED = "rejected", pgettext_lazy("amendment status", "Rejected")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.DRAFT: {Status.FEEDBACK, Status.WITHDRAWN},
        Status.FEEDBACK: {Status.CONSENT, Status.WITHDRAWN},
        Status.CONSENT: {Status.ADOPTED, Status.REJECTED, Status.WITHDRAWN},
        Status.ADOPTED: set(),
        Status.WITHDRAWN: set(),
        Status.REJECTED: set(),
    }
    OPEN = (Status.DRAFT, Status.FEEDBACK, Status.CONSENT)

    policy = models.ForeignKey(
        Policy,
        verbose_name=_("policy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="amendments",
        help_text=_("Empty for a new policy."),
    )
    base_version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("amends version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=160)
    new_policy_category = models.CharField(
        _("category of the new policy"),
        max_length=20,
        choices=Policy.Category.choices,
        blank=True,
    )
    text = models.TextField(_("proposed text"), max_length=100000)
    rationale = models.TextField(_("rationale"), max_length=10000)
    proposer = models.ForeignKey(
        Person, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="amendments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(policy__isnull=False) | ~Q(new_policy_category=""),
                name="new_policy_amendment_has_category",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:amendment", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class AmendmentTransition(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Amendment.Status.choices)
    to_status = models.CharField(max_length=10, choices=Amendment.Status.choices)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("amendment transition")
        verbose_name_plural = _("amendment transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.amendment_id}: {self.from_status} → {self.to_status}"


class AmendmentComment(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ConsentRound(models.Model):
    """A period in which active members answer one revision of an amendment's text.

    Revising the text to integrate an objection closes the round ("revised") and opens the next
    one, so everyone who had answered answers the new text."""

    class Outcome(models.TextChoices):
        OPEN = "open", pgettext_lazy("consent round outcome", "Open")
        CONSENTED = "consented", pgettext_lazy("consent round outcome", "No open objection")
        OBJECTIONS = "objections", pgettext_lazy("consent round outcome", "Objections remain")
        REVISED = "revised", pgettext_lazy("consent round outcome", "Restarted after a revision")
        CANCELLED = "cancelled", pgettext_lazy("consent round outcome", "Cancelled")

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("round"), default=1)
    revision = models.PositiveIntegerField(_("revision"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    period_days = models.PositiveSmallIntegerField(
        _("days open"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("consent round")
        verbose_name_plural = _("consent rounds")
        ordering = ["amendment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "number"], name="one_round_number"),
            models.UniqueConstraint(
                fields=["amendment"], condition=Q(closed_at__isnull=True), name="one_open_round"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amendment} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ConsentResponse(models.Model):
    class Answer(models.TextChoices):
        CONSENT = "consent", _("Consent")
        CONCERN = "concern", _("Concern")
        OBJECTION = "objection", _("Objection")

    class Resolution(models.TextChoices):
        NONE = "", pgettext_lazy("consent response resolution", "Open")
        WITHDRAWN = (
            "withdrawn",
            pgettext_lazy("consent response resolution", "Withdrawn by the objector"),
        )
        INTEGRATED = (
            "integrated",
            pgettext_lazy("consent response resolution", "Integrated in a revised text"),
        )

    round = models.ForeignKey(ConsentRound, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_responses")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    reason = models.TextField(_("reason"), max_length=5000, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True, default=""
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consent response")
        verbose_name_plural = _("consent responses")
        ordering = ["round", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_response_per_round"),
            models.CheckConstraint(
                condition=~Q(answer="objection") | ~Q(reason=""), name="objection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.answer}"

    @property
    def is_open_objection(self) -> bool:
        return self.answer == self.Answer.OBJECTION and not self.resolution


class PolicyReminder(models.Model):
    """The claim row: one reminder per person, round and kind (or per policy and review date).

    Claimed before anything is sent; `attempted_at` is set by a conditional UPDATE just before the
    send, so a task delivered twice never sends twice."""

    class Kind(models.TextChoices):
        ROUND_CLOSING = "round_closing", _("Consent round closes soon")
        REVIEW_DUE = "review_due", _("Policy review date approaches")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(
        ConsentRound, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    review_date = models.DateField(null=True, blank=True)
    queued_at = models.DateTimeField(_("claimed"))
    attempted_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy reminder")
        verbose_name_plural = _("policy reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "round", "kind"],
                condition=Q(round__isnull=False),
                name="one_round_reminder_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "policy", "review_date", "kind"],
                condition=Q(policy__isnull=False),
                name="one_review_reminder_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id}"
