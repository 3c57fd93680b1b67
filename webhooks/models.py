"""Webhooks for partner tools: what a token subscribes to, the events the services emit, and each
delivery of an event to a subscription with every attempt it took (webhooks.services)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import ApiToken


class Subscription(models.Model):
    """A partner's endpoint for some kinds of event, owned by one API token.

    The secret signs every delivery (Standard Webhooks, HMAC-SHA256). It is kept as it is,
    because signing needs it, and shown once, in the answer that creates the subscription.
    `failing_since` is the first failed attempt since the last success: a subscription failing
    for WEBHOOK_PAUSE_AFTER_DAYS is paused and its owner emailed once per pause (the notice
    columns are its outbox, patio.delivery)."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("webhook subscription", "Active")
        PAUSED = "paused", pgettext_lazy("webhook subscription", "Paused")

    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("target URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("event types"), default=list)
    secret = models.CharField(max_length=100, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    pause_reason = models.CharField(_("why it was paused"), max_length=300, blank=True)
    notice_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice_sent_at = models.DateTimeField(_("owner told at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.url


class Event(models.Model):
    """Something that happened, written by `webhooks.events.emit` in the transaction of the
    write that made it happen: a rolled-back write leaves no event, and nothing is sent.

    `payload` is the subject as the REST API gives it, at that moment. `public` says whether a
    visitor could see the subject (before or after the change); otherwise only subscriptions
    whose token may read it get the event. `once_key` is set for kinds that happen once per
    subject (a co-op is created once), so two writes racing cannot send the event twice."""

    kind = models.CharField(_("type"), max_length=60, db_index=True)
    subject_type = models.CharField(max_length=100)
    subject_id = models.PositiveBigIntegerField()
    public = models.BooleanField(default=False)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    once_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def message_id(self) -> str:
        """The `webhook-id` of every delivery of this event: the same on each retry, so a
        receiver can tell a repeat."""
        return f"msg_{self.pk}"

    def envelope(self) -> dict[str, Any]:
        """The body every delivery sends, as Standard Webhooks shapes it."""
        return {"type": self.kind, "timestamp": timestamp(self.created_at), "data": self.payload}


def timestamp(moment: datetime) -> str:
    """A time as the REST API writes it (ISO 8601 in UTC, with a Z)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Delivery(models.Model):
    """One event for one subscription. Pending until an attempt gets a 2xx (delivered) or the
    retry window (WEBHOOK_RETRY_HOURS from `window_started_at`) runs out (failed).

    `taken_at` is the claim of the sender making an attempt now and `settled_at` is set once
    the delivery is done (patio.delivery's Outbox). `queued_at` says a send task was queued for
    it, so the beat dispatcher does not queue it again while that message waits."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
        DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
        FAILED = "failed", pgettext_lazy("webhook delivery", "Failed")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    window_started_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    settled_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(
        _("last response"), null=True, blank=True
    )
    # Set by a redelivery by hand; the next attempt is recorded as made by hand and clears it.
    redelivery_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="one_delivery_per_event_and_subscription"
            )
        ]
        indexes = [
            # The beat dispatcher reads the unsettled deliveries that are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(settled_at__isnull=True),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"


class Attempt(models.Model):
    """One HTTP request of a delivery, as the receiver answered it (or why it could not)."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempts"
    )
    at = models.DateTimeField(_("at"))
    response_status = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    response_excerpt = models.CharField(_("response body (start)"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    by_hand = models.BooleanField(_("redelivered by hand"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
