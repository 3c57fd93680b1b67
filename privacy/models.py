"""What the privacy app keeps: downloads of a person's own data, and the record of an erasure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Person


class DataExport(models.Model):
    """A ZIP of everything the platform holds about one person, prepared by a task.

    The file lives in `PRIVATE_ROOT`, outside the media folder: only the owner's download view
    reads it. It is deleted when the export expires."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("data export status", "Waiting")
        RUNNING = "running", pgettext_lazy("data export status", "Being prepared")
        READY = "ready", pgettext_lazy("data export status", "Ready")
        FAILED = "failed", pgettext_lazy("data export status", "Failed")
        EXPIRED = "expired", pgettext_lazy("data export status", "Expired")

    IN_PROGRESS = (Status.PENDING, Status.RUNNING)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # The "it is ready" email's claim (patio.delivery): set once, before the email goes.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_taken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("download of my data")
        verbose_name_plural = _("downloads of my data")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["pending", "running"]),
                name="one_data_export_in_progress",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.get_status_display()}"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS


class Erasure(models.Model):
    """A person whose personal data was erased: their rows stay, as a tombstone, so that the
    ledger, decisions and the audit log keep pointing somewhere."""

    class By(models.TextChoices):
        SELF = "self", _("The person themselves")
        COOP_ADMIN = "coop_admin", _("An admin of their co-op")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    by = models.CharField(_("erased by"), max_length=10, choices=By.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"#{self.person_id}"
