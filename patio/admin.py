"""The one read-only ModelAdmin every app uses for rows its services own.

The Django admin writes rows directly: no service rule runs and no audit event is written. So a
row whose changes matter (money, memberships, decisions, consent) is shown in the admin but
never added, changed or deleted there; the pages and the API change it, through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patio.models import OutboxMessage


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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """What is waiting for the broker, and why (patio.outbox): the sweeper relays it, not a
    person."""

    list_display = ["id", "task", "created_at", "relayed_at", "attempts", "last_error"]
    list_filter = [("relayed_at", admin.EmptyFieldListFilter), "task"]
    search_fields = ["task"]
    date_hierarchy = "created_at"
