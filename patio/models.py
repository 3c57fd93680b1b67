"""The few rows patio keeps for itself: none of them is about the network."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic process proved it runs: one row per process (`beat`).

    Beat sends `patio.tasks.beat_heartbeat` every minute and a worker writes the row, so a fresh
    row says that beat schedules and a worker consumes; `/healthz` reads its age."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last beat at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
