"""The few tables every app shares; none of them is about the network."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` (patio.idempotency), kept to be
    given again for a repeated key; also the one-time tokens of page forms that move money."""

    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(null=True, blank=True)
    # The created row's address, given again with the replayed 201.
    response_location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "endpoint", "key"], name="one_idempotency_key_per_actor_endpoint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


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


class TaskDelivery(models.Model):
    """How many times the broker has delivered one task message whose worker died running it
    (patio.failed_tasks). Written only for a redelivered message, deleted when it finishes."""

    # The task's id and its retry number: a Celery retry is a new message with the same id.
    key = models.CharField(max_length=300, unique=True)
    deliveries = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.deliveries} deliveries"


class FailedTask(models.Model):
    """A task that will not run again by itself: it failed past its retries, or its worker died
    every time it was delivered (TASK_MAX_DELIVERIES). Listed in the admin, which may retry it."""

    task_id = models.CharField(_("task id"), max_length=255, unique=True)
    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    error = models.TextField(_("error"))
    attempts = models.PositiveIntegerField(_("attempts"))
    first_seen_at = models.DateTimeField(_("first seen at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    retried_at = models.DateTimeField(_("retried at"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retried by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-last_seen_at", "-id"]
        permissions = [("retry_failedtask", _("Can retry a failed task"))]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"


class OutboxMessage(models.Model):
    """A Celery task a write asked for, stored in the write's own transaction (patio.outbox).

    Pending while `relayed_at` is NULL; `claimed_at` is set by the relay that is handing it to
    the broker. A relayed row keeps no arguments (they may carry a secret, such as an
    invitation's token; the broker has them now) and is pruned after OUTBOX_RETENTION_DAYS."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The sweeper and /healthz read only what is pending, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(relayed_at__isnull=True),
                name="outbox_pending_by_age",
            ),
            models.Index(fields=["relayed_at"], name="outbox_relayed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class FormerSlug(models.Model):
    """A slug an object was known by before it changed: its old address answers with a 301 to
    the current one (patio.slugs). Any model with a slug keeps these through
    `patio.slugs.KeepsFormerSlugs`; the newest holder of a slug is the one its address finds."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=200)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="one_former_slug_holder")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.slug
