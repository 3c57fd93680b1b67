"""Case studies: the story of a finished project, told by its lead once the client agreed.

What the project was (its co-ops and their countries, the skills and phases, the software
used, its dates) is copied from the project when the draft is made: a snapshot, kept as real
relations and fields, so the story does not change under the reader when the project's team
is edited later."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from catalogue.models import Software
from members.models import Organisation, Person, Skill
from projects.models import Project

SUMMARY_MAX = 280
TEXT_MAX = 20000
CONSENT_NOTE_MAX = 2000


class CaseStudy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case study status", "Draft")
        PUBLISHED = "published", pgettext_lazy("case study status", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("case study status", "Withdrawn")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Written consent (letter or signed note)")
        EMAIL = "email", _("By email")
        CONTRACT = "contract", _("A clause of the contract")
        MEETING = "meeting", _("In a meeting, with minutes")

    # Which moves the services allow: a withdrawn case study can be published again.
    TRANSITIONS = {
        Status.DRAFT: (Status.PUBLISHED,),
        Status.PUBLISHED: (Status.WITHDRAWN,),
        Status.WITHDRAWN: (Status.PUBLISHED,),
    }

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="case_study"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=SUMMARY_MAX,
        blank=True,
        help_text=_("One sentence, shown in lists."),
    )
    story = models.TextField(
        _("the story"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Markdown: what the client needed and how the team worked."),
    )
    outcome = models.TextField(
        _("the outcome"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Markdown: what came of it for the client."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The snapshot, taken from the project when the draft is made.
    client_name = models.CharField(_("client"), max_length=200, blank=True)
    coops = models.ManyToManyField(
        Organisation, verbose_name=_("co-ops"), blank=True, related_name="case_studies"
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="case_studies"
    )
    phases = models.JSONField(_("phases"), default=list, blank=True)
    software = models.ManyToManyField(
        Software, verbose_name=_("software used"), blank=True, related_name="case_studies"
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    # The client's permission to publish: who recorded it, when and how.
    consent_method = models.CharField(
        _("how the client agreed"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_given_by = models.CharField(_("who agreed for the client"), max_length=200, blank=True)
    consent_note = models.TextField(_("consent note"), max_length=CONSENT_NOTE_MAX, blank=True)
    consent_recorded_by = models.ForeignKey(
        Person,
        verbose_name=_("permission recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(_("permission recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        ordering = ["-published_at", "-id"]
        constraints = [
            # Nothing is public before the client said yes: the database says so too.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(consent_recorded_at__isnull=False),
                name="case_study_published_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casestudies:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def has_consent(self) -> bool:
        return self.consent_recorded_at is not None

    @property
    def duration_weeks(self) -> int | None:
        if self.started_on is None or self.finished_on is None:
            return None
        return max(1, round(((self.finished_on - self.started_on).days + 1) / 7))

    def phase_labels(self) -> list[str]:
        return [
            str(Project.Phase(code).label) for code in self.phases if code in Project.Phase.values
        ]


class ProjectSoftware(models.Model):
    """A catalogue entry a project uses, added by its lead or a coordinator of its circle. It
    lives here, above both projects and the catalogue (neither imports the other's way): the
    project page shows it through `projects.hooks.project_page`, and a case study's draft
    starts from it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="software_used"
    )
    software = models.ForeignKey(
        Software,
        verbose_name=_("software"),
        on_delete=models.CASCADE,
        related_name="project_uses",
    )
    added_by = models.ForeignKey(
        Person,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("software used in a project")
        verbose_name_plural = _("software used in projects")
        ordering = ["software__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "software"], name="casestudies_project_software_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.software}"
