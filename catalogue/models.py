"""The technology catalogue: software co-ops choose, with who makes it, who provides it and who
uses it, and what it replaces."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modeltranslation.manager import MultilingualManager

from catalogue.licences import MAX_LENGTH as LICENCE_MAX_LENGTH
from catalogue.licences import Family
from members.models import Language, Organisation, Person
from patio.slugs import KeepsFormerSlugs
from projects.models import CURRENCIES

SUMMARY_MAX = 280
DESCRIPTION_MAX = 20000
USE_CASE_MAX = 280
# publiccode.yml's `features`: a few short phrases, each at most 100 characters.
FEATURE_MAX = 100
FEATURES_MAX = 20


class FunctionCategory(models.Model):
    """What software does for a co-op: accounting, membership, governance… Translated like the
    directory's sectors (catalogue/translation.py)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = MultilingualManager()

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ProgrammingLanguage(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("programming language")
        verbose_name_plural = _("programming languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Software(KeepsFormerSlugs):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("catalogue entry status", "Draft")
        PUBLISHED = "published", pgettext_lazy("catalogue entry status", "Published")

    class Maturity(models.TextChoices):
        IDEA = "idea", pgettext_lazy("software maturity", "Idea")
        BETA = "beta", pgettext_lazy("software maturity", "Beta")
        STABLE = "stable", pgettext_lazy("software maturity", "Stable")
        MATURE = "mature", pgettext_lazy("software maturity", "Mature")
        UNMAINTAINED = "unmaintained", pgettext_lazy("software maturity", "Unmaintained")

    class Hosting(models.TextChoices):
        """How a co-op can run it. Self-hosted and SaaS are columns of their own; "managed by a
        network co-op" is derived: a member co-op provides hosting (`selectors.with_managed`)."""

        SELF_HOSTED = "self_hosted", _("Self-hosted")
        MANAGED = "managed", _("Managed by a network co-op")
        SAAS = "saas", _("Software as a service")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    summary = models.CharField(
        _("what it does"), max_length=SUMMARY_MAX, help_text=_("One sentence, shown in lists.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX,
        help_text=_("Markdown: headings, lists, links, tables."),
    )
    # What it does, as publiccode.yml's `description.<lang>.features`: a list of short phrases.
    features = models.JSONField(_("features"), default=list, blank=True)
    categories = models.ManyToManyField(
        FunctionCategory, verbose_name=_("functions"), related_name="software"
    )
    licence = models.CharField(
        _("licence"),
        max_length=LICENCE_MAX_LENGTH,
        help_text=_(
            "An SPDX expression, such as AGPL-3.0-or-later or MIT OR Apache-2.0; "
            "LicenseRef-Proprietary for a product's own terms."
        ),
    )
    # Both derived from the licence by catalogue.licences, written by the services only.
    is_open_source = models.BooleanField(_("open source"), default=False, editable=False)
    licence_family = models.CharField(
        _("licence family"),
        max_length=20,
        choices=Family.choices,
        default=Family.PROPRIETARY,
        editable=False,
        db_index=True,
    )
    website_url = models.URLField(_("website"), blank=True, max_length=300)
    source_url = models.URLField(_("source code"), blank=True, max_length=300)
    programming_languages = models.ManyToManyField(
        ProgrammingLanguage,
        verbose_name=_("programming languages"),
        blank=True,
        related_name="software",
    )
    self_hosted = models.BooleanField(_("self-hosted"), default=False)
    saas = models.BooleanField(_("software as a service"), default=False)
    ui_languages = models.ManyToManyField(
        Language, verbose_name=_("interface languages"), blank=True, related_name="+"
    )
    maturity = models.CharField(
        _("maturity"), max_length=12, choices=Maturity.choices, default=Maturity.STABLE
    )
    last_release = models.DateField(_("last release"), null=True, blank=True)
    last_version = models.CharField(_("last version"), max_length=40, blank=True)
    replaces = models.CharField(
        _("instead of"),
        max_length=300,
        blank=True,
        help_text=_("Commercial products it replaces, comma separated: Slack, Microsoft Teams."),
    )
    makers = models.ManyToManyField(
        Organisation, verbose_name=_("made by"), blank=True, related_name="software_made"
    )
    similar = models.ManyToManyField(
        "self", verbose_name=_("similar entries"), blank=True, symmetrical=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publiccode_url = models.URLField(_("imported from"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        Person,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # The stored hosting columns; MANAGED is the `managed` annotation of the selectors.
    HOSTING_FIELDS = {Hosting.SELF_HOSTED: "self_hosted", Hosting.SAAS: "saas"}

    class Meta:
        verbose_name = _("software")
        verbose_name_plural = _("software")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="software_name_id_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:software", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_managed(self) -> bool:
        """Whether a network co-op hosts it as a service: the selectors' `managed` annotation,
        else read from the providers (prefetched by `selectors.software_detail`)."""
        annotated = self.__dict__.get("managed")
        if annotated is not None:
            return bool(annotated)
        return any(
            Service.HOST in provider.services
            and provider.organisation.status == Organisation.Status.MEMBER
            for provider in self.providers.all()
        )

    def hosting(self) -> list[str]:
        chosen = {choice for choice, field in self.HOSTING_FIELDS.items() if getattr(self, field)}
        if self.is_managed:
            chosen.add(self.Hosting.MANAGED)
        return [choice for choice in self.Hosting.values if choice in chosen]

    def hosting_labels(self) -> list[str]:
        return [str(self.Hosting(choice).label) for choice in self.hosting()]

    def replaced_products(self) -> list[str]:
        return [name.strip() for name in self.replaces.split(",") if name.strip()]


class Service(models.TextChoices):
    """What a provider does for a co-op using the software."""

    INSTALL = "install", _("Installation")
    HOST = "host", _("Hosting")
    SUPPORT = "support", _("Support")
    TRAIN = "train", _("Training")
    CUSTOMISE = "customise", _("Customisation and development")
    MIGRATE = "migrate", _("Migration from another tool")


class RateUnit(models.TextChoices):
    HOUR = "hour", pgettext_lazy("rate per", "per hour")
    DAY = "day", pgettext_lazy("rate per", "per day")
    MONTH = "month", pgettext_lazy("rate per", "per month")


class Provider(models.Model):
    """A co-op that installs, hosts, supports or trains people in the software."""

    software = models.ForeignKey(
        Software, verbose_name=_("software"), on_delete=models.CASCADE, related_name="providers"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("co-op"),
        on_delete=models.CASCADE,
        related_name="software_provided",
    )
    services = models.JSONField(_("services"), default=list)
    # Comma separated ISO codes; none means it works with co-ops anywhere, remotely.
    countries = CountryField(_("countries covered"), multiple=True, blank=True)
    rate_min = models.DecimalField(
        _("rate from"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    rate_max = models.DecimalField(
        _("rate up to"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    rate_unit = models.CharField(
        _("rate per"), max_length=6, choices=RateUnit.choices, default=RateUnit.HOUR
    )
    support_until = models.DateField(
        _("support contract until"),
        null=True,
        blank=True,
        help_text=_(
            "If you offer support under a contract: the day it runs to. "
            "publiccode.yml then names your co-op as a contractor."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["software", "organisation"], name="catalogue_provider_once"
            ),
            models.CheckConstraint(
                condition=Q(rate_min__isnull=True)
                | Q(rate_max__isnull=True)
                | Q(rate_min__lte=F("rate_max")),
                name="catalogue_provider_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.software}"

    def service_labels(self) -> list[str]:
        return [str(Service(code).label) for code in self.services if code in Service.values]


class SoftwareUse(models.Model):
    """A co-op that uses the software, what for, and how well it serves them."""

    software = models.ForeignKey(
        Software, verbose_name=_("software"), on_delete=models.CASCADE, related_name="uses"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("co-op"),
        on_delete=models.CASCADE,
        related_name="software_used",
    )
    use_case = models.CharField(_("what they use it for"), max_length=USE_CASE_MAX)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (poor) to 5 (excellent)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("use")
        verbose_name_plural = _("uses")
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["software", "organisation"], name="catalogue_use_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="catalogue_use_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.software}"


class MaintenanceContact(models.Model):
    """A person who agreed to be named as a maintenance contact of an entry (they listed
    themselves, or a network admin recorded their agreement); publiccode.yml names them in
    `maintenance.contacts`, with only the contact details the directory already shows anyone."""

    software = models.ForeignKey(
        Software,
        verbose_name=_("software"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="software_contacts",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maintenance contact")
        verbose_name_plural = _("maintenance contacts")
        ordering = ["person__display_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["software", "person"], name="catalogue_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.software}"
