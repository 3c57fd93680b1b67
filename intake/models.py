"""Requests for help: an outside co-op or organisation describes the technology it needs, and the
circles that triage such requests answer, decline or turn them into a draft opportunity."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from members.models import Language, Organisation, Person
from patio.i18n import site_languages

DESCRIPTION_MAX = 5000


class HelpRequest(models.Model):
    class Need(models.TextChoices):
        BUILD = "build", _("Build something new")
        CHOOSE = "choose", _("Buy or choose a tool")
        MAINTAIN = "maintain", _("Maintain or improve what we have")
        AUDIT = "audit", _("Audit or review")
        TRAIN = "train", _("Training")

    class Budget(models.TextChoices):
        UNDER_5K = "lt5k", _("Under 5,000 EUR")
        FROM_5K = "5k-20k", _("5,000 to 20,000 EUR")
        FROM_20K = "20k-50k", _("20,000 to 50,000 EUR")
        OVER_50K = "gt50k", _("Over 50,000 EUR")
        NOT_SURE = "unsure", _("Not sure yet")

    class Timeline(models.TextChoices):
        URGENT = "urgent", _("Urgent: within a month")
        SOON = "soon", _("In one to three months")
        LATER = "later", _("In three to six months")
        FLEXIBLE = "flexible", _("Flexible or not sure")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("help request status", "New")
        ANSWERED = "answered", pgettext_lazy("help request status", "Answered")
        CONVERTED = "converted", pgettext_lazy("help request status", "Turned into an opportunity")
        DECLINED = "declined", pgettext_lazy("help request status", "Declined")

    # Which states each triage action starts from; services claim the row with these.
    ANSWERABLE = (Status.NEW,)
    DECLINABLE = (Status.NEW,)
    CONVERTIBLE = (Status.NEW, Status.ANSWERED)

    organisation_name = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("your name"), max_length=120)
    contact_email = models.EmailField(_("your email address"), max_length=254)
    country = CountryField(_("country"))
    need = models.CharField(_("what you need"), max_length=10, choices=Need.choices)
    description = models.TextField(
        _("describe your need"),
        max_length=DESCRIPTION_MAX,
        help_text=_("What you do, what the technology should do, and anything already in place."),
    )
    budget_range = models.CharField(
        _("budget range"),
        max_length=8,
        choices=Budget.choices,
        default=Budget.NOT_SURE,
        help_text=_("In euros, or the equivalent in your currency."),
    )
    timeline = models.CharField(
        _("timeline"), max_length=10, choices=Timeline.choices, default=Timeline.FLEXIBLE
    )
    preferred_languages = models.ManyToManyField(
        Language,
        verbose_name=_("preferred languages"),
        blank=True,
        related_name="+",
        help_text=_("The languages you would like to work in."),
    )
    # The site language the requester used: their acknowledgement and replies are written in it.
    language = models.CharField(
        _("language used"), max_length=8, choices=site_languages, default="en"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    answer = models.TextField(_("answer"), max_length=DESCRIPTION_MAX, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    handled_by = models.ForeignKey(
        Person,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    # What a visitor asked about from a catalogue entry ("who can help me with this?"), and the
    # providers of it they chose to tell; none chosen leaves it to the triagers.
    software = models.ForeignKey(
        "catalogue.Software",
        verbose_name=_("software"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    providers = models.ManyToManyField(
        Organisation,
        verbose_name=_("providers asked"),
        through="ProviderNotice",
        blank=True,
        related_name="+",
    )
    opportunity = models.OneToOneField(
        "projects.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_request",
    )
    # Claimed by the email tasks with a conditional UPDATE, so each email goes out once.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    reply_sent_at = models.DateTimeField(_("reply sent at"), null=True, blank=True)
    # Claimed for sending (patio.delivery); acknowledged_at and reply_sent_at say they went.
    acknowledgement_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    reply_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="converted") | Q(handled_at__isnull=False),
                name="help_request_converted_is_handled",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.get_need_display()})"

    def get_absolute_url(self) -> str:
        return reverse("intake:request", args=[self.pk])


class ProviderNotice(models.Model):
    """A provider co-op the requester chose, and the email that tells its contacts (the co-op's
    admins), claimed once (patio.delivery): a retried task tells nobody twice."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="provider_notices"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("co-op"), on_delete=models.CASCADE, related_name="+"
    )
    # Whom the email went to (the co-op's admins with an address when it was sent).
    told = models.ManyToManyField(Person, verbose_name=_("told"), blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider told")
        verbose_name_plural = _("providers told")
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_request", "organisation"], name="intake_provider_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.help_request}"
