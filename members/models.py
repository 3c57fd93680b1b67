"""The directory: organisations (member co-ops, federations, partners), people and their skills."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modeltranslation.manager import MultilingualManager

from patio.i18n import language_name, site_languages
from patio.slugs import KeepsFormerSlugs


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(
            _("“%(value)s” is not an IANA timezone, such as Europe/Sofia."),
            code="invalid_timezone",
            params={"value": value},
        )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Network members")
    HIDDEN = "hidden", _("Only me")


class Language(models.Model):
    """A human language, by ISO 639-1 code (or a 639-3 code where there is no two-letter one)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        """Its name in the reader's language, from CLDR (`name` is the stored English one)."""
        return language_name(self.code, self.name)


class Sector(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    # The manager modeltranslation gives the models it translates (members/translation.py),
    # named here so that type checkers know it.
    objects = MultilingualManager()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(KeepsFormerSlugs):
    class Kind(models.TextChoices):
        WORKER_COOP = "worker_coop", _("Worker co-op")
        OTHER_COOP = "other_coop", _("Other co-op")
        FEDERATION = "federation", _("Federation")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        APPLICANT = "applicant", pgettext_lazy("organisation status", "Applicant")
        MEMBER = "member", pgettext_lazy("organisation status", "Member")
        SUSPENDED = "suspended", pgettext_lazy("organisation status", "Suspended")
        LEFT = "left", pgettext_lazy("organisation status", "Left")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.WORKER_COOP
    )
    short_description = models.CharField(_("short description"), max_length=280)
    description = models.TextField(_("description"), blank=True)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    founded = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
        help_text=_("Year"),
    )
    size = models.PositiveIntegerField(_("size (people)"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    services = models.TextField(
        _("services offered"), blank=True, help_text=_("One service per line.")
    )
    languages = models.ManyToManyField(Language, verbose_name=_("working languages"), blank=True)
    status = models.CharField(
        _("membership status"), max_length=16, choices=Status.choices, default=Status.APPLICANT
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # What its tombstone page says once it has left (members.views.organisation_detail).
    dissolved = models.BooleanField(
        _("dissolved"),
        default=False,
        help_text=_("It no longer exists, rather than only leaving the network."),
    )
    left_reason = models.CharField(
        _("why it left"),
        max_length=500,
        blank=True,
        help_text=_("Shown to everyone on its page once it has left the network."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    federations = models.ManyToManyField(
        "self",
        verbose_name=_("federations"),
        symmetrical=False,
        blank=True,
        related_name="member_organisations",
        limit_choices_to={"kind": "federation"},
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="org_name_id_idx"),
            # The directory's most used filter, read in the page's order: a country's first
            # 25 co-ops by name without sorting the country's thousands (issue: cold pages).
            models.Index(fields=["country", "name", "id"], name="org_country_name_id_idx"),
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["size"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation", args=[self.slug])

    @property
    def is_public(self) -> bool:
        """Visitors see the network's current members, federations and partners."""
        return self.status == self.Status.MEMBER

    @property
    def is_tombstone(self) -> bool:
        """A co-op that was a member and has left: its address stays, answering 410 Gone with
        its name, dates and reason. One that left before ever joining was never public."""
        return self.status == self.Status.LEFT and self.joined_on is not None

    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class SkillCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = MultilingualManager()  # as modeltranslation's (see Sector)

    class Meta:
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    category = models.ForeignKey(
        SkillCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="skills"
    )
    synonyms = models.CharField(
        _("synonyms"), max_length=300, blank=True, help_text=_("Other names, comma separated.")
    )
    esco_uri = models.URLField(_("ESCO URI"), blank=True, max_length=300)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = MultilingualManager()  # as modeltranslation's (see Sector)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class Participation(models.TextChoices):
        ACTIVE = "active", _("Active member")
        PASSIVE = "passive", _("Passive member")

    class ProfileVisibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Network members")

    class Notify(models.TextChoices):
        IMMEDIATELY = "now", _("Immediately")
        DAILY = "daily", _("In a daily digest")
        WEEKLY = "weekly", _("In a weekly digest")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("home co-op"), on_delete=models.PROTECT, related_name="people"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    bio = models.TextField(_("bio"), blank=True, max_length=4000)
    country = CountryField(_("country"), blank=True)
    timezone = models.CharField(
        _("timezone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=site_languages,
        default="en",
        help_text=_("The language of the site and of the emails you get."),
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week for network work"), default=0, validators=[MaxValueValidator(80)]
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    open_to_matching = models.BooleanField(
        _("propose me for project teams"),
        default=True,
        help_text=_("Team matching may propose you for roles that fit your skills and hours."),
    )
    workday_start = models.TimeField(
        _("my working day starts"),
        default=datetime.time(9, 0),
        help_text=_("Local time, in your timezone."),
    )
    workday_end = models.TimeField(
        _("my working day ends"),
        default=datetime.time(17, 0),
        help_text=_("Local time; earlier than the start when you work past midnight."),
    )
    participation = models.CharField(
        _("participation"),
        max_length=8,
        choices=Participation.choices,
        default=Participation.PASSIVE,
        db_index=True,
    )
    profile_visibility = models.CharField(
        _("who can see my profile"),
        max_length=8,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.MEMBERS,
    )
    is_coop_admin = models.BooleanField(_("co-op admin"), default=False)
    # Set when the person's data is erased (privacy.services.person_erase): the row stays as a
    # tombstone ("Former member #12") that ledger entries, decisions and the audit log point at,
    # but no listing or profile shows it any more (members.selectors.people_visible_to).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How this person gets each kind of event email (keys of patio.emails.kinds()): a value of
    # Notify. A kind not listed is emailed immediately, as every kind was before people chose.
    email_choices = models.JSONField(_("how I get each kind of email"), default=dict, blank=True)

    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_email_visibility = models.CharField(
        _("who can see my contact email"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_visibility = models.CharField(
        _("who can see my phone"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.HIDDEN,
    )
    chat = models.CharField(
        _("chat handle"), max_length=100, blank=True, help_text=_("Matrix, Signal, XMPP…")
    )
    chat_visibility = models.CharField(
        _("who can see my chat handle"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    website = models.URLField(_("personal website"), blank=True)
    website_visibility = models.CharField(
        _("who can see my website"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )

    languages = models.ManyToManyField(Language, through="PersonLanguage", blank=True)
    skills = models.ManyToManyField(Skill, through="PersonSkill", blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    CONTACT_FIELDS = ("contact_email", "phone", "chat", "website")
    # What a person edits about themselves, on their profile page and through the API alike.
    PROFILE_FIELDS = (
        "display_name",
        "bio",
        "country",
        "timezone",
        "language",
        "hours_per_week",
        "available_from",
    )
    # Who may see the profile and each way to reach them.
    VISIBILITY_FIELDS = (
        "profile_visibility",
        "contact_email",
        "contact_email_visibility",
        "phone",
        "phone_visibility",
        "chat",
        "chat_visibility",
        "website",
        "website_visibility",
    )
    # The kind of email (see patio.emails) of opportunity alerts.
    OPPORTUNITY_EMAILS = "opportunities"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "id"]
        indexes = [
            models.Index(fields=["display_name", "id"], name="person_name_id_idx"),
            # The directory as a visitor reads it, in name order: only the profiles they may see
            # (a third of the people), so a filtered page walks that many fewer rows.
            models.Index(
                fields=["display_name", "id"],
                condition=models.Q(erased_at__isnull=True, profile_visibility="public"),
                name="person_public_name_idx",
            ),
            models.Index(fields=["organisation", "display_name"]),
            models.Index(fields=["timezone"]),
            models.Index(fields=["hours_per_week"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("members:person", args=[self.pk])

    def field_visibility(self, field: str) -> str:
        return getattr(self, f"{field}_visibility")

    def email_choice(self, kind: str) -> str:
        """How this person gets the emails of one kind (patio.emails): a value of Notify."""
        choice = (self.email_choices or {}).get(kind)
        return choice if choice in self.Notify.values else self.Notify.IMMEDIATELY

    def wants_email(self, kind: str) -> bool:
        """Whether this person still gets the emails of one kind, now or in a digest."""
        return self.email_choice(kind) != self.Notify.NEVER

    @property
    def email_address(self) -> str:
        """Where the platform writes to this person: their login, else their co-op's contact."""
        if self.user is not None:  # no query without a user_id
            return self.user.email
        return self.contact_email


class PersonLanguage(models.Model):
    class Proficiency(models.IntegerChoices):
        BASIC = 1, _("Basic")
        WORKING = 2, _("Working")
        FLUENT = 3, _("Fluent")
        NATIVE = 4, _("Native")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_languages")
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency"), choices=Proficiency.choices, default=Proficiency.WORKING
    )

    class Meta:
        verbose_name = _("language of a person")
        verbose_name_plural = _("languages of people")
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")
        ]
        indexes = [models.Index(fields=["language", "proficiency"])]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_proficiency_display()})"


class PersonSkill(models.Model):
    class Level(models.IntegerChoices):
        LEARNING = 1, _("Learning")
        PRACTITIONER = 2, _("Practitioner")
        EXPERT = 3, _("Expert")
        CAN_TEACH = 4, _("Can teach")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_skills")
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="person_skills"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.PRACTITIONER
    )
    years = models.PositiveSmallIntegerField(
        _("years"), default=0, validators=[MaxValueValidator(70)]
    )

    class Meta:
        verbose_name = _("skill of a person")
        verbose_name_plural = _("skills of people")
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="person_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="level_1_4"
            ),
        ]
        indexes = [models.Index(fields=["skill", "level"])]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"


class Invitation(models.Model):
    """A link that lets one person join: into a co-op (by its admin) or as a new co-op's first
    admin (by a network admin). It expires and works once.

    Only the SHA-256 of the link's token is stored, as for API tokens: the plain token is made
    at creation and goes only into the email. An email written later from the row (a team
    invitation's join link) carries a signed link instead (`get_absolute_url`), which names the
    invitation and needs the site's secret key, so the database alone opens nothing."""

    LINK_SALT = "members.invitation.link"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("co-op"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    display_name = models.CharField(_("name"), max_length=120, blank=True)
    as_coop_admin = models.BooleanField(_("as co-op admin"), default=False)
    # Someone the co-op already lists: accepting gives this person their account (no new person).
    person = models.ForeignKey(
        "Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="join_invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    language = models.CharField(max_length=8, choices=site_languages, default="en")
    email_sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)
    email_taken_at = models.DateTimeField(null=True, blank=True, editable=False)  # claimed to send

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    # The plain token of an invitation made in this process, for the email queued with it:
    # never saved (services set it on the instance they return).
    plain_token: str | None = None

    def get_absolute_url(self) -> str:
        """A signed link to this invitation, for emails written after its creation."""
        signed = signing.Signer(salt=self.LINK_SALT).sign_object(self.pk)
        return reverse("members:invitation", args=[signed])

    @staticmethod
    def link_for(token: str) -> str:
        return reverse("members:invitation", args=[token])

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        # 32 random bytes: a fast hash is enough, as for API tokens.
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def id_from_signed_link(cls, value: str) -> int | None:
        try:
            pk = signing.Signer(salt=cls.LINK_SALT).unsign_object(value)
        except signing.BadSignature:
            return None
        return pk if isinstance(pk, int) else None

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
