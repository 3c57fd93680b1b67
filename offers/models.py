"""Offers and wants: what members and co-ops have to spare (capacity, a tool, a room, mentoring,
subcontracting) or are looking for, with the replies they get and the searches people save.

A post's `state` is never typed: it is open from posting, fulfilled when its poster says so
(reopened by them before its end date), and expired by the daily task once its end date has
passed (`offers.services`). Every move is one conditional UPDATE from the state it leaves."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from members.models import Organisation, Person, Skill

TITLE_MAX = 160
DESCRIPTION_MAX = 5000
REPLY_MAX = 4000
TAGS_MAX = 8


class Tag(models.Model):
    """A free word people put on posts ("django", "sociocracy", "buenos-aires"), lower case."""

    name = models.SlugField(_("tag"), max_length=40, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    class Exchange(models.TextChoices):
        OFFER = "offer", pgettext_lazy("offers and wants", "Offer")
        WANT = "want", pgettext_lazy("offers and wants", "Want")

    class Kind(models.TextChoices):
        CAPACITY = "capacity", _("Spare capacity")
        TOOL = "tool", _("A tool")
        ROOM = "room", _("A room or space")
        MENTORING = "mentoring", _("Mentoring")
        SUBCONTRACTING = "subcontracting", _("Subcontracting")

    class Scope(models.TextChoices):
        LOCAL = "local", _("Local (a city and around it)")
        REGIONAL = "regional", _("Regional (a country or its region)")
        GLOBAL = "global", _("Global (anywhere, remote)")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("offer state", "Open")
        FULFILLED = "fulfilled", pgettext_lazy("offer state", "Fulfilled")
        EXPIRED = "expired", pgettext_lazy("offer state", "Expired")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone (also published on Murmurations)")
        MEMBERS = "members", _("Network members only")

    # Scopes that are somewhere: they name a country.
    PLACED = (Scope.LOCAL, Scope.REGIONAL)

    exchange = models.CharField(_("offer or want"), max_length=5, choices=Exchange.choices)
    kind = models.CharField(_("what kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX,
        help_text=_("Markdown: what it is, when, and what you ask or give in return."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="posts")
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="offer_posts"
    )
    scope = models.CharField(
        pgettext_lazy("where an offer or want applies", "scope"),
        max_length=8,
        choices=Scope.choices,
    )
    country = CountryField(
        _("country"), blank=True, help_text=_("Where it is: needed for a local or regional post.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    visibility = models.CharField(
        _("who may see it"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    poster = models.ForeignKey(
        Person, verbose_name=_("posted by"), on_delete=models.CASCADE, related_name="offer_posts"
    )
    # Set when the post speaks for the poster's co-op (its admins may then manage it too).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("for the co-op"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offer_posts",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("offer or want")
        verbose_name_plural = _("offers and wants")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["state", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="offer_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(scope="global") | ~Q(country=""), name="offer_placed_has_country"
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | (~Q(state="open") & Q(closed_at__isnull=False)),
                name="offer_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("offers:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Reply(models.Model):
    """A member's answer to a post, kept here and emailed to the poster once (patio.delivery):
    the poster's address is never shown to the one who replies."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        Person, verbose_name=_("from"), on_delete=models.CASCADE, related_name="offer_replies"
    )
    body = models.TextField(_("your reply"), max_length=REPLY_MAX)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    # Read by the poster (on the post's page): the home page lists posts with unread replies.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)
    # The email to the poster (patio.delivery): claimed, then settled once sent or skipped.
    email_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "read_at"])]

    def __str__(self) -> str:
        return f"{self.author} → {self.post}"


class SavedSearch(models.Model):
    """What a member wants to hear about: new open posts matching every criterion set, sent
    in a digest once a day or once a week. Each post goes at most once per saved search
    (`DigestEntry`)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="offer_searches")
    name = models.CharField(_("name"), max_length=100)
    exchange = models.CharField(
        _("offers or wants"), max_length=5, choices=Post.Exchange.choices, blank=True
    )
    kind = models.CharField(_("what kind"), max_length=16, choices=Post.Kind.choices, blank=True)
    country = CountryField(_("country"), blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    frequency = models.CharField(
        _("digest"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the API lists a person's searches by `updated_since` too.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DigestEntry(models.Model):
    """One post in one saved search's digest: the unique row is the promise that it goes once.
    The digest claims a search's unsent entries together (`patio.delivery.deliver_together`)."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="entries")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("digest entry")
        verbose_name_plural = _("digest entries")
        constraints = [
            models.UniqueConstraint(fields=["search", "post"], name="offer_digest_once_per_post")
        ]

    def __str__(self) -> str:
        return f"{self.search} · {self.post}"
