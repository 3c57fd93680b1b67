"""The knowledge hub: guides members write, reviewed by a circle, read in every language they
exist in, and learning paths through them."""

from __future__ import annotations

import math
import re
from typing import ClassVar

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from members.models import Person
from patio.i18n import site_languages
from patio.slugs import KeepsFormerSlugs
from patio.translations import Translation

# An unhurried reader of a guide that asks to be understood, not skimmed.
WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def reading_minutes(text: str) -> int:
    """Minutes to read a Markdown text, from its words: at least one."""
    return max(1, math.ceil(len(_WORD.findall(text)) / WORDS_PER_MINUTE))


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=70, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Guide(KeepsFormerSlugs):
    """A guide or article, written in one language (its original) by members of the network.

    Draft → in review (by the members of `reviewer_circle`) → published; a reviewer may send it
    back to its authors with a comment, which makes it a draft again. Only published guides are
    read by anyone other than their authors, their reviewers and network admins."""

    class Category(models.TextChoices):
        CHOOSING_SOFTWARE = "choosing_software", _("Choosing software")
        DATA_PROTECTION = "data_protection", _("Data protection")
        SELF_MANAGEMENT = "self_management", _("Self-management")
        INTER_COOP_PROJECTS = "inter_coop_projects", _("Running inter-co-op projects")
        PRICING_WORK = "pricing_work", _("Pricing work")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    # The moves the workflow allows: from → to.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.DRAFT: {Status.IN_REVIEW},
        Status.IN_REVIEW: {Status.DRAFT, Status.PUBLISHED},
        Status.PUBLISHED: {Status.DRAFT},
    }

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: what a reader will know after reading it."),
    )
    body = models.TextField(_("text"), max_length=100000, help_text=_("In Markdown."))
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="guides")
    language = models.CharField(
        _("language of the original"),
        max_length=8,
        choices=site_languages,
        default="en",
        help_text=_("The language you write this guide in."),
    )
    authors = models.ManyToManyField(Person, verbose_name=_("authors"), related_name="guides")
    reviewer_circle = models.ForeignKey(
        Circle,
        verbose_name=_("reviewing circle"),
        on_delete=models.PROTECT,
        related_name="guides_to_review",
        help_text=_("The circle whose members review the guide before it is published."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Derived from the body by the services, never typed.
    reading_minutes = models.PositiveSmallIntegerField(_("reading time in minutes"), default=1)
    # Moves on each time the original's title or text changes: a translation made from an
    # earlier revision is older than the original.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    review_comment = models.TextField(_("reviewer's comment"), max_length=5000, blank=True)
    reviewed_by = models.ForeignKey(
        Person,
        verbose_name=_("last reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_guide_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hub:guide", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_review(self) -> bool:
        return self.status == self.Status.IN_REVIEW

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class GuideTranslation(Translation):
    """The guide in another language, made from one revision of the original. It is read with
    the guide: reviewed with it while it is a draft, public once it is published. One per guide
    and language."""

    guide = models.ForeignKey(
        Guide, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="translations"
    )
    summary = models.CharField(_("translated summary"), max_length=300, blank=True)
    source_revision = models.PositiveIntegerField(_("translated from revision"))
    translator = models.ForeignKey(
        Person, verbose_name=_("translator"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("guide translation")
        verbose_name_plural = _("guide translations")
        ordering = ["guide", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "language"], name="one_guide_translation_per_language"
            ),
        ]

    def get_absolute_url(self) -> str:
        return f"{self.guide.get_absolute_url()}?language={self.language}"

    def is_older_than(self, guide: Guide) -> bool:
        return self.source_revision < guide.revision

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.text)


class LearningPath(models.Model):
    """An ordered set of guides to read one after another. One path may be the one suggested to
    people who have just joined."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("what it is for"), max_length=2000, blank=True)
    suggested_to_newcomers = models.BooleanField(
        _("suggested to new members"),
        default=False,
        help_text=_("Shown on the home page of people who joined recently. One path at most."),
    )
    created_by = models.ForeignKey(
        Person, verbose_name=_("made by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    guides = models.ManyToManyField(Guide, through="PathStep", related_name="paths")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggested_to_newcomers"],
                condition=Q(suggested_to_newcomers=True),
                name="one_path_suggested_to_newcomers",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hub:path", args=[self.slug])


class PathStep(models.Model):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("step of a learning path")
        verbose_name_plural = _("steps of learning paths")
        ordering = ["path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["path", "guide"], name="a_guide_once_per_path"),
            models.UniqueConstraint(fields=["path", "position"], name="one_guide_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.position}: {self.guide}"


class GuideDone(models.Model):
    """A person has read a guide and marked it done: it counts in every path that holds it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guides_done")
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="done_by")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guide marked done")
        verbose_name_plural = _("guides marked done")
        constraints = [
            models.UniqueConstraint(fields=["person", "guide"], name="a_guide_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ✓ {self.guide}"
