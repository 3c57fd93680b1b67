"""The nightly open-data dumps: one row per night, with what each of its files weighs and its
checksum, so that the page, the DCAT description and the downloads all say the same."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _size_field() -> models.PositiveBigIntegerField[int, int]:
    return models.PositiveBigIntegerField(_("size (bytes)"), default=0)


def _checksum_field() -> models.CharField[str, str]:
    return models.CharField(_("SHA-256"), max_length=64, blank=True)


class Dump(models.Model):
    """The whole public network as it stood on one night: a ZIP of CSV files (with a README
    and a DCAT description), a JSON-LD graph and a DCAT description of both.

    A build claims the row with a conditional UPDATE (`opendata.services`), so two workers
    never build the same night twice; only a READY dump is listed or served."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("open data dump status", "Waiting")
        RUNNING = "running", pgettext_lazy("open data dump status", "Being built")
        READY = "ready", pgettext_lazy("open data dump status", "Published")
        FAILED = "failed", pgettext_lazy("open data dump status", "Failed")

    # The network's date the dump is of (patio.dates.network_today): one dump a night.
    day = models.DateField(_("day"), unique=True)
    # 1, 2, 3…: the dump's number in the series, named in its files and its DCAT description.
    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    # The moment the data was read (set by each claim): dct:issued and dct:modified.
    created_at = models.DateTimeField(_("data as of"), default=timezone.now)
    ready_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Storage names (in the "opendata" storage), sizes and SHA-256 checksums of the three files.
    zip_name = models.CharField(max_length=200, blank=True, editable=False)
    zip_size = _size_field()
    zip_sha256 = _checksum_field()
    graph_name = models.CharField(max_length=200, blank=True, editable=False)
    graph_size = _size_field()
    graph_sha256 = _checksum_field()
    dcat_name = models.CharField(max_length=200, blank=True, editable=False)
    dcat_size = _size_field()
    dcat_sha256 = _checksum_field()
    # Rows per CSV file, by the file's name without ".csv".
    counts = models.JSONField(_("rows per table"), default=dict, blank=True)

    class Meta:
        verbose_name = _("open data dump")
        verbose_name_plural = _("open data dumps")
        ordering = ["-version"]
        indexes = [
            models.Index(
                fields=["-version"], condition=Q(status="ready"), name="opendata_ready_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.day.isoformat()})"

    @property
    def stem(self) -> str:
        """The files' common name: `patio-open-data-2026-12-01`."""
        return f"patio-open-data-{self.day.isoformat()}"
