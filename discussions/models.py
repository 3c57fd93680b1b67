"""Discussions: threads in a circle or in the network, or about an agenda item, a policy or an
opportunity, with one level of replies, reactions, edits kept as history, moderation, follows,
read marks and the email notices they cause.

A thread's opening post is its first `Comment` (`is_opening`), so editing, reacting, hiding and
mentioning work the same on it as on replies. Counts and times on the thread (`reply_count`,
`last_activity_at`) are written only by `discussions.services`."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import AgendaItem
from circles.models import Circle
from members.models import Person
from policies.models import Policy
from projects.models import Opportunity

TITLE_MAX = 160
BODY_MAX = 10000
REASON_MAX = 500
SUBJECTS = ("circle", "agenda_item", "policy", "opportunity")


class Thread(models.Model):
    class Visibility(models.TextChoices):
        CIRCLE = "circle", _("Members of the circle")
        NETWORK = "network", _("Network members")
        PUBLIC = "public", _("Everyone, also visitors")

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    author = models.ForeignKey(
        Person, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="threads"
    )
    visibility = models.CharField(
        _("who may read it"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.NETWORK,
    )
    # What the thread is about: at most one of these, none for a thread of the whole network.
    circle = models.ForeignKey(
        Circle,
        verbose_name=_("circle"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("policy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    # A poll the thread carries (polls knows nothing of threads): added by its starter, once.
    poll = models.OneToOneField(
        "polls.Poll",
        verbose_name=_("poll"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread",
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        Person,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reply_count = models.PositiveIntegerField(_("replies"), default=0, editable=False)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(circle__isnull=True, agenda_item__isnull=True, policy__isnull=True)
                    | Q(circle__isnull=True, agenda_item__isnull=True, opportunity__isnull=True)
                    | Q(circle__isnull=True, policy__isnull=True, opportunity__isnull=True)
                    | Q(agenda_item__isnull=True, policy__isnull=True, opportunity__isnull=True)
                ),
                name="thread_at_most_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="circle") | Q(circle__isnull=False),
                name="thread_circle_visibility_has_circle",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def subject(self) -> models.Model | None:
        for name in SUBJECTS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None


class Comment(models.Model):
    """The opening post of a thread, a reply to it (no parent) or a reply to a reply (its
    parent is a top-level reply: replies nest one level, never deeper)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    is_opening = models.BooleanField(default=False, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    author = models.ForeignKey(
        Person, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(_("text"), max_length=BODY_MAX)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True, editable=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        Person,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    hidden_reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True, editable=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_opening=True), name="thread_one_opening"
            ),
            models.CheckConstraint(
                condition=Q(is_opening=False) | Q(parent__isnull=True),
                name="opening_has_no_parent",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="hidden_comment_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.thread}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentEdit(models.Model):
    """One edit of a comment: who changed it, when, and the text it had before."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(
        Person, verbose_name=_("edited by"), on_delete=models.PROTECT, related_name="+"
    )
    previous_body = models.TextField(_("previous text"))
    edited_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("edit")
        verbose_name_plural = _("edits")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        AGREE = "agree", pgettext_lazy("reaction", "Agree")
        THANKS = "thanks", pgettext_lazy("reaction", "Thanks")
        CELEBRATE = "celebrate", pgettext_lazy("reaction", "Celebrate")
        THINKING = "thinking", pgettext_lazy("reaction", "Thinking about it")
        CONCERNED = "concerned", pgettext_lazy("reaction", "Concerned")

    EMOJI = {
        Kind.AGREE: "👍",
        Kind.THANKS: "🙏",
        Kind.CELEBRATE: "🎉",
        Kind.THINKING: "🤔",
        Kind.CONCERNED: "😟",
    }

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "person", "kind"], name="reaction_once_per_person_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.comment_id}"


class Follow(models.Model):
    """Whether a person follows a thread. Starting or replying follows it; unfollowing keeps the
    row (`following` false), so a later reply does not follow again against their choice."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thread_follows")
    following = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["thread", "person"], name="follow_once_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.thread_id}"


class ReadMark(models.Model):
    """How far a person has read a thread: the newest comment they have seen."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_marks")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    last_read_comment_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "person"], name="read_mark_once_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} read {self.thread_id} to {self.last_read_comment_id}"


class Notice(models.Model):
    """One email about one comment to one person: they were mentioned in it, or they follow its
    thread. The unique row is the promise that it goes once (patio.delivery)."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mention")
        REPLY = "reply", _("New reply")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notices")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "person"], name="notice_once_per_comment")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.comment_id} → {self.person_id}"
