"""Monthly assemblies: when they meet, what they discuss, what they decide, who is reminded."""

from __future__ import annotations

import calendar
import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from circles.models import Circle
from members.models import Person


def validate_slots(value) -> None:
    """One to three meeting times "HH:MM" (UTC) that a series rotates through."""
    if not isinstance(value, list) or not 1 <= len(value) <= 3:
        raise ValidationError(_("Give one, two or three times."), code="slot_count")
    for item in value:
        try:
            time.fromisoformat(item)
        except (TypeError, ValueError):
            raise ValidationError(
                _("“%(value)s” is not a time such as 15:00."),
                code="slot_time",
                params={"value": item},
            ) from None


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-4, or -1 for the last) given weekday (0 = Monday) of a month."""
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def _duration_field() -> models.PositiveSmallIntegerField:
    """How long an assembly lasts: a series holds it for the assemblies it creates."""
    return models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )


# Days those present have to suggest corrections to draft minutes, for an assembly of no series.
DEFAULT_CORRECTION_WINDOW_DAYS = 7


class AssemblySeries(models.Model):
    """A recurring rule: the nth weekday of each month, at one of up to three rotating times."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Nth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    title = models.CharField(_("title"), max_length=160)
    nth = models.SmallIntegerField(_("which week"), choices=Nth.choices, default=Nth.FIRST)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.THURSDAY
    )
    slots = models.JSONField(
        _("times (UTC)"),
        default=list,
        validators=[validate_slots],
        help_text=_(
            "One to three times such as 15:00. With several, the assemblies rotate through "
            "them, so the same countries do not always meet at night."
        ),
    )
    duration_minutes = _duration_field()
    link = models.URLField(_("online meeting link"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("first month"), help_text=_("Rotation counts from this month."))
    active = models.BooleanField(_("active"), default=True)
    correction_window_days = models.PositiveSmallIntegerField(
        _("days to suggest corrections to the minutes"),
        default=DEFAULT_CORRECTION_WINDOW_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "After the draft minutes are published, those present have this many days to "
            "suggest corrections; then the minutes are approved."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assembly series")
        verbose_name_plural = _("assembly series")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def occurrence(self, year: int, month: int) -> tuple[date, datetime] | None:
        """The meeting day and its UTC start in that month (None before the series starts)."""
        day = nth_weekday(year, month, self.weekday, self.nth)
        if day is None or (year, month) < (self.starts_on.year, self.starts_on.month):
            return None
        index = (year - self.starts_on.year) * 12 + month - self.starts_on.month
        slot = time.fromisoformat(self.slots[index % len(self.slots)])
        return day, datetime.combine(day, slot, tzinfo=UTC)

    def occurrences(self, *, after: datetime, count: int) -> list[tuple[date, datetime]]:
        """The next `count` meetings starting after `after`."""
        found: list[tuple[date, datetime]] = []
        year, month = after.year, after.month
        for _step in range(count * 2 + 24):
            hit = self.occurrence(year, month)
            if hit and hit[1] > after:
                found.append(hit)
                if len(found) == count:
                    break
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


class Assembly(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("assembly status", "Planned")
        OPEN = "open", pgettext_lazy("assembly status", "Open")
        CLOSED = "closed", pgettext_lazy("assembly status", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("assembly status", "Cancelled")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Network members only")
        PUBLIC = "public", _("Public")

    series = models.ForeignKey(
        AssemblySeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assemblies",
    )
    occurrence = models.DateField(
        _("occurrence"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The day the series rule gave, kept when the assembly is moved."),
    )
    title = models.CharField(_("title"), max_length=160)
    start = models.DateTimeField(_("start"), db_index=True)
    duration_minutes = _duration_field()
    link = models.URLField(_("online meeting link"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    visibility = models.CharField(
        _("who can see it"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        help_text=_(
            "A public assembly shows everyone when it meets and what it decided; its agenda, "
            "minutes, attendance and meeting link stay with the network's members."
        ),
    )
    facilitator = models.ForeignKey(
        Person,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_assemblies",
    )
    note_taker = models.ForeignKey(
        Person,
        verbose_name=_("note-taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="noted_assemblies",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    current_item = models.ForeignKey(
        "AgendaItem",
        verbose_name=_("current agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # iCalendar SEQUENCE: one more with each change a calendar shows (services bump it), so
    # calendar apps take the new time or place over the copy they hold.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=Q(series__isnull=False),
                name="one_assembly_per_series_occurrence",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:detail", args=[self.pk])

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_over(self) -> bool:
        return self.status in {self.Status.CLOSED, self.Status.CANCELLED}

    def opens_on(self, today: date) -> bool:
        """Whether the assembly may be opened on `today` (a UTC date).

        The assembly's day is the UTC date of its start. People join from every timezone
        (UTC-12 to UTC+14), so on the facilitator's own calendar the meeting may fall on the day
        before or after that UTC date: one day either side is allowed, and no more, so a
        meeting cannot be opened (and decide things) weeks before or after it was called."""
        return abs((today - self.start.astimezone(UTC).date()).days) <= 1


def _author_field() -> models.ForeignKey[Person | None, Person | None]:
    """Who wrote a circle's update or a correction; the text stays if they are removed."""
    return models.ForeignKey(
        Person,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class CircleUpdate(models.Model):
    """What a circle brings to one assembly, written by its coordinators."""

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="updates"
    )
    circle = models.ForeignKey(
        Circle, verbose_name=_("circle"), on_delete=models.CASCADE, related_name="assembly_updates"
    )
    author = _author_field()
    done = models.TextField(_("done since last time"), max_length=4000, blank=True)
    next = models.TextField(_("next"), max_length=4000, blank=True)
    needs = models.TextField(_("needs from the network"), max_length=4000, blank=True)
    decisions_wanted = models.TextField(
        _("decisions wanted"),
        max_length=4000,
        blank=True,
        help_text=_("Each line becomes a decision item on the agenda."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("circle update")
        verbose_name_plural = _("circle updates")
        ordering = ["circle__name"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "circle"], name="one_update_per_circle")
        ]

    def __str__(self) -> str:
        return f"{self.circle} · {self.assembly}"

    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.decisions_wanted.splitlines() if line.strip()]


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DISCUSSION = "discussion", _("Discussion")
        DECISION = "decision", _("Decision")
        CIRCLE_UPDATE = "circle_update", _("Circle update")

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    proposer = models.ForeignKey(
        Person,
        verbose_name=_("proposer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_agenda_items",
    )
    time_box_minutes = models.PositiveSmallIntegerField(
        _("time box (minutes)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    source_key = models.CharField(
        _("source"),
        max_length=120,
        blank=True,
        help_text=_("Where the item came from; building the agenda again never duplicates it."),
    )
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["assembly", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "source_key"],
                condition=~Q(source_key=""),
                name="one_agenda_item_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        NOT_GOING = "not_going", _("Not going")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assembly_rsvps")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["person", "assembly"], name="one_rsvp_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_answer_display()}"


class Attendance(models.Model):
    """A person was there; the note-taker records it."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="assembly_attendances"
    )
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The email telling the person the draft minutes are up (patio.delivery: taken, then sent).
    draft_notice_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    draft_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "person"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.assembly}"


def _assembly_field(related_name: str) -> models.ForeignKey[Assembly, Assembly]:
    """The assembly a record belongs to (a decision, a correction, an action item)."""
    return models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name=related_name
    )


def _agenda_item_field(
    related_name: str,
) -> models.ForeignKey[AgendaItem | None, AgendaItem | None]:
    """The agenda item a record came from, if any; deleting the item keeps the record."""
    return models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class Decision(models.Model):
    class Method(models.TextChoices):
        CONSENT = "consent", _("Consent")
        VOTE = "vote", _("Vote")
        CONSENSUS = "consensus", _("Consensus")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", pgettext_lazy("decision outcome", "Adopted")
        REJECTED = "rejected", pgettext_lazy("decision outcome", "Rejected")
        DEFERRED = "deferred", pgettext_lazy("decision outcome", "Deferred")

    assembly = _assembly_field("decisions")
    agenda_item = _agenda_item_field("decisions")
    text = models.TextField(_("decision"), max_length=4000)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    objections = models.TextField(_("objections raised"), max_length=4000, blank=True)
    without_quorum = models.BooleanField(
        _("recorded without quorum"),
        default=False,
        help_text=_("Quorum was not reached; the facilitator recorded the decision anyway."),
    )
    present_count = models.PositiveIntegerField(
        _("present when decided"), null=True, blank=True, editable=False
    )
    quorum_needed = models.PositiveIntegerField(
        _("quorum needed when decided"), null=True, blank=True, editable=False
    )
    delegated_count = models.PositiveIntegerField(
        _("votes by delegation when decided"), default=0, editable=False
    )
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("assemblies:decision", args=[self.pk])

    @property
    def votes_count(self) -> int | None:
        """Everyone whose vote counted: those present and the votes they carried by delegation."""
        if self.present_count is None:
            return None
        return self.present_count + self.delegated_count


class Correction(models.Model):
    """A correction to the record of a closed assembly. The record itself stays as it was
    closed; corrections are added beside it, with who, when and why, and are never edited.

    While the draft minutes are open for corrections (`Minutes`), those present suggest them
    instead: a suggestion waits for the facilitator, who accepts it (its text replaces
    `original` in the draft, or is added to it) or rejects it. A suggestion still waiting when
    the minutes are approved has lapsed."""

    class Status(models.TextChoices):
        NOTED = "noted", pgettext_lazy("correction status", "Noted beside the record")
        SUGGESTED = "suggested", pgettext_lazy("correction status", "Waiting for the facilitator")
        ACCEPTED = "accepted", pgettext_lazy("correction status", "Accepted")
        REJECTED = "rejected", pgettext_lazy("correction status", "Rejected")
        LAPSED = "lapsed", pgettext_lazy("correction status", "Lapsed")

    assembly = _assembly_field("corrections")
    agenda_item = _agenda_item_field("corrections")
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NOTED, db_index=True
    )
    original = models.TextField(
        _("the words to change"),
        max_length=4000,
        blank=True,
        help_text=_("Copy them from the draft. Leave empty to add the text to the minutes."),
    )
    text = models.TextField(_("correction"), max_length=4000)
    reason = models.TextField(_("reason"), max_length=2000)
    author = _author_field()
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("the facilitator's note"), max_length=2000, blank=True)
    # The email telling the author what became of their suggestion (patio.delivery).
    notice_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_suggestion(self) -> bool:
        return self.status != self.Status.NOTED


class Minutes(models.Model):
    """The minutes of a closed assembly as a document the note-taker publishes as a draft.
    Those present suggest corrections for `window_days` (the series's setting); accepted ones
    change the draft (each change kept as a `MinutesRevision`). Approval freezes it for good."""

    assembly = models.OneToOneField(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField(_("minutes"), max_length=50000)
    published_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("draft published"))
    window_closes_at = models.DateTimeField(_("corrections close"), db_index=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, db_index=True)
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.assembly}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def window_open(self, now: datetime) -> bool:
        return not self.is_approved and now < self.window_closes_at


class MinutesRevision(models.Model):
    """One change of the draft minutes: publishing it, or applying an accepted correction."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    correction = models.ForeignKey(
        Correction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("minutes"), max_length=50000)
    author = _author_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.minutes} · {self.created_at:%Y-%m-%d %H:%M}"


class VoteDelegation(models.Model):
    """A member who cannot attend gives their vote in an assembly to another member, who
    carries it. One step only: a delegate cannot pass it on, and nobody delegates to a person
    who has delegated. Revoked (`revoked_at`) until it is first used in a decision (`used_at`);
    while the delegator is present themselves, their own vote counts instead."""

    assembly = _assembly_field("delegations")
    delegator = models.ForeignKey(
        Person,
        verbose_name=_("delegator"),
        on_delete=models.CASCADE,
        related_name="vote_delegations_given",
    )
    delegate = models.ForeignKey(
        Person,
        verbose_name=_("delegate"),
        on_delete=models.CASCADE,
        related_name="vote_delegations_held",
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    used_at = models.DateTimeField(_("first used"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote delegation")
        verbose_name_plural = _("vote delegations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "delegator"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_delegation_per_delegator",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="no_delegation_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.assembly_id})"


class SeriesVolunteer(models.Model):
    """A person who offered to facilitate or take notes in a series' assemblies: the rotation
    suggests among them."""

    series = models.ForeignKey(AssemblySeries, on_delete=models.CASCADE, related_name="volunteers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("volunteered"), auto_now_add=True)

    class Meta:
        verbose_name = _("series volunteer")
        verbose_name_plural = _("series volunteers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "person"], name="one_volunteer_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.series}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action item status", "Open")
        DONE = "done", pgettext_lazy("action item status", "Done")
        DROPPED = "dropped", pgettext_lazy("action item status", "Dropped")

    assembly = _assembly_field("action_items")
    agenda_item = _agenda_item_field("action_items")
    description = models.TextField(_("action"), max_length=2000)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="action_items"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.description[:80]


class ReminderSettings(models.Model):
    """One row the admins edit: reminder lead times and texts, and the quorum."""

    invitation_text = models.TextField(
        _("invitation text"),
        blank=True,
        help_text=_(
            "Added to every invitation as written. Leave empty for the standard text only."
        ),
    )
    day_before_hour = models.PositiveSmallIntegerField(
        _("day-before reminder hour (local)"), default=9, validators=[MaxValueValidator(23)]
    )
    day_before_text = models.TextField(_("day-before text"), blank=True)
    hour_before_minutes = models.PositiveSmallIntegerField(
        _("last reminder, minutes before"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    hour_before_text = models.TextField(_("last reminder text"), blank=True)
    update_reminder_days = models.PositiveSmallIntegerField(
        _("remind coordinators of a missing update, days before"),
        default=3,
        validators=[MaxValueValidator(30)],
    )
    quorum_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("quorum (% of active members)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    delegations_per_person = models.PositiveSmallIntegerField(
        _("votes a person may carry by delegation"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    class Meta:
        verbose_name = _("assembly and reminder settings")
        verbose_name_plural = _("assembly and reminder settings")

    def __str__(self) -> str:
        return str(_("Assembly and reminder settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ReminderSettings:
        """The saved settings, or the defaults (a read never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ReminderDelivery(models.Model):
    """The claim row: at most one reminder per person, assembly and kind.

    Created (queued) before anything is sent; `attempted_at` is the claim, set by one conditional
    UPDATE just before the send (patio.delivery), so a task delivered twice never sends twice.
    `sent_at` settles the row: the email went, or the reminder no longer applied and was skipped.
    A claim not settled after DELIVERY_RECLAIM_SECONDS died with its worker and is taken again."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        DAY_BEFORE = "day_before", _("Day before")
        HOUR_BEFORE = "hour_before", _("Hour before")
        UPDATE_MISSING = "update_missing", _("Circle update missing")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    queued_at = models.DateTimeField(_("claimed"))
    attempted_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent or skipped"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "assembly", "kind"], name="one_reminder_per_person_kind"
            )
        ]
        indexes = [models.Index(fields=["attempted_at", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id} ({self.assembly_id})"


class CalendarFeedToken(models.Model):
    """A secret URL for one person's calendar feed. Only its SHA-256 is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
