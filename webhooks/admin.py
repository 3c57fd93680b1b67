"""Webhooks in the admin: each subscription with its status and recent deliveries, every delivery
with its attempts, and the actions a network admin takes (redeliver, resume), which go through
the services like the API's, so they are checked and audited the same way. Rows are never edited
here: the secret is never shown, and the logs are what happened."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from patio.admin import ReadOnlyAdmin, ReadOnlyInline
from webhooks import services
from webhooks.models import Attempt, Delivery, Event, Subscription

# A subscription's page lists its deliveries of the last days, not its whole history.
RECENT_DAYS = 7


DELIVERY_COLUMNS: tuple[str, ...] = (
    "event",
    "status",
    "attempt_count",
    "last_response_status",
    "next_attempt_at",
)


ATTEMPT_COLUMNS: tuple[str, ...] = (
    "at",
    "response_status",
    "duration_ms",
    "response_excerpt",
    "error",
    "by_hand",
)


EVENT_COLUMNS: tuple[str, ...] = (
    "kind",
    "subject_type",
    "subject_id",
    "public",
    "payload",
    "created_at",
)


class NetworkAdminsSee:
    """Network admins (staff) read these pages, as they manage the tokens the subscriptions
    belong to; Django's model permissions would otherwise hide them from all but superusers."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)


class RecentDeliveries(NetworkAdminsSee, ReadOnlyInline):
    model = Delivery
    fields = readonly_fields = DELIVERY_COLUMNS
    show_change_link = True
    verbose_name_plural = _("deliveries of the last 7 days")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        since = timezone.now() - timedelta(days=RECENT_DAYS)
        rows = super().get_queryset(request).filter(created_at__gte=since)
        return rows.select_related("event").order_by("-id")


@admin.register(Subscription)
class SubscriptionAdmin(NetworkAdminsSee, ReadOnlyAdmin):
    list_display = ["url", "token", "owner", "status", "failing_since", "paused_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["url", "token__prefix", "token__user__email"]
    list_select_related = ["token__user"]
    fields = [
        "url",
        "description",
        "events",
        "token",
        "status",
        "failing_since",
        "paused_at",
        "pause_reason",
        "notice_sent_at",
        "created_at",
    ]
    inlines = [RecentDeliveries]
    actions = ["resume"]

    @admin.display(description=_("owner"), ordering="token__user__email")
    def owner(self, obj: Subscription) -> str:
        return obj.token.user.email

    def has_resume_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    @admin.action(permissions=["resume"], description=_("Resume the selected paused subscriptions"))
    def resume(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        resumed = 0
        for subscription in queryset.filter(status=Subscription.Status.PAUSED):
            services.subscription_resume(actor=request.user, subscription=subscription)
            resumed += 1
        self.message_user(
            request,
            ngettext("%(count)d subscription resumed.", "%(count)d subscriptions resumed.", resumed)
            % {"count": resumed},
            messages.SUCCESS,
        )


class Attempts(NetworkAdminsSee, ReadOnlyInline):
    model = Attempt
    fields = readonly_fields = ATTEMPT_COLUMNS


@admin.register(Delivery)
class DeliveryAdmin(NetworkAdminsSee, ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "subscription",
        "status",
        "attempt_count",
        "last_response_status",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event__kind"]
    search_fields = ["subscription__url", "event__kind"]
    list_select_related = ["event", "subscription"]
    fields = [
        "event",
        "subscription",
        "status",
        "attempt_count",
        "next_attempt_at",
        "delivered_at",
        "last_response_status",
        "created_at",
    ]
    inlines = [Attempts]
    actions = ["redeliver"]

    @admin.display(description=_("type"), ordering="event__kind")
    def kind(self, obj: Delivery) -> str:
        return obj.event.kind

    def has_redeliver_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    @admin.action(permissions=["redeliver"], description=_("Redeliver the selected deliveries"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queued, refused = 0, []
        for row in queryset.select_related("subscription__token"):
            try:
                services.delivery_redeliver(actor=request.user, delivery_row=row)
                queued += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"#{row.pk}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", queued
            )
            % {"count": queued},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(request, " ".join(refused), messages.WARNING)


@admin.register(Event)
class EventAdmin(NetworkAdminsSee, ReadOnlyAdmin):
    list_display = ["id", "kind", "subject_type", "subject_id", "public", "created_at"]
    list_filter = ["kind", "public"]
    fields = readonly_fields = EVENT_COLUMNS
    date_hierarchy = "created_at"
