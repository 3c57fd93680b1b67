"""The one read-only ModelAdmin every app uses for rows its services own.

The Django admin writes rows directly: no service rule runs and no audit event is written. So a
row whose changes matter (money, memberships, decisions, consent) is shown in the admin but
never added, changed or deleted there; the pages and the API change it, through the services.

Also here: the admin's "Failed tasks" (patio.failed_tasks), which staff with the permission may
queue again, and the outbox's messages (patio.outbox), read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from patio import failed_tasks
from patio.models import FailedTask, OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Lists and shows rows; refuses every add, change and delete (a POST to a change form is
    a 403), whoever asks, superusers included."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline of rows the services own: shown beside their parent, never edited there."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FailedTask)
class FailedTaskAdmin(ReadOnlyAdmin):
    """ "Failed tasks": tasks that will not run again by themselves (patio.failed_tasks). Staff
    with `patio.retry_failedtask` may queue chosen ones again."""

    list_display = ["task_name", "attempts", "first_seen_at", "last_seen_at", "retried_at"]
    list_filter = [("retried_at", admin.EmptyFieldListFilter), "task_name"]
    search_fields = ["task_name", "task_id", "error"]
    fields = [
        "task_name",
        "task_id",
        "args",
        "kwargs",
        "error",
        "attempts",
        "first_seen_at",
        "last_seen_at",
        "retried_at",
        "retried_by",
    ]
    actions = ["retry"]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(failed_tasks.RETRY_PERMISSION)

    @admin.action(permissions=["retry"], description=_("Retry the selected tasks"))
    def retry(self, request: HttpRequest, queryset: QuerySet[FailedTask]) -> None:
        queued = failed_tasks.failed_tasks_retry(actor=request.user, failed_tasks=queryset)
        self.message_user(
            request,
            ngettext("%(count)d task queued again.", "%(count)d tasks queued again.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """What is waiting for the broker, and why (patio.outbox): the sweeper relays it, not a
    person."""

    list_display = ["id", "task", "created_at", "relayed_at", "attempts", "last_error"]
    list_filter = [("relayed_at", admin.EmptyFieldListFilter), "task"]
    search_fields = ["task"]
    date_hierarchy = "created_at"
