"""Murmurations in the admin: each profile's registration with the index, its status and last
error, and two actions (register again now, ask the index), which go through the services, so
they are checked and audited as everywhere else. Rows are never edited here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from murmurations import services
from murmurations.models import Registration
from patio.admin import ReadOnlyAdmin

DETAIL_COLUMNS: tuple[str, ...] = (
    "label",
    "kind",
    "object_id",
    "profile",
    "index_url",
    "status",
    "node_id",
    "index_status",
    "attempts",
    "last_error",
    "requested_at",
    "last_attempt_at",
    "next_attempt_at",
    "last_registered_at",
    "removed_at",
    "last_checked_at",
    "settled_at",
)


def _staff(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["label", "status", "index_status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "index_status", "kind"]
    search_fields = ["label", "profile_url", "node_id"]
    fields = readonly_fields = DETAIL_COLUMNS
    actions = ["retry", "ask_index"]

    # Network admins (staff) read these pages; Django's model permissions would otherwise hide
    # them from all but superusers.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _staff(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _staff(request)

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return _staff(request)

    def has_ask_index_permission(self, request: HttpRequest) -> bool:
        return _staff(request)

    @admin.display(description=_("profile"))
    def profile(self, obj: Registration) -> SafeString:
        return format_html('<a href="{0}">{0}</a>', obj.profile_url)

    def _refused(self, request: HttpRequest, error: Exception) -> None:
        self.message_user(
            request, " ".join(getattr(error, "messages", [str(error)])), messages.WARNING
        )

    @admin.action(permissions=["retry"], description=_("Register the selected profiles again now"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        try:
            asked = services.registrations_retry(actor=request.user, registrations=list(queryset))
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, error)
            return
        self.message_user(
            request,
            ngettext("%(count)d profile queued again.", "%(count)d profiles queued again.", asked)
            % {"count": asked},
            messages.SUCCESS,
        )

    @admin.action(permissions=["ask_index"], description=_("Ask the index for their status now"))
    def ask_index(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        try:
            asked = services.registrations_check_requested(
                actor=request.user, registrations=list(queryset)
            )
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, error)
            return
        self.message_user(
            request,
            ngettext(
                "The index will be asked about %(count)d profile.",
                "The index will be asked about %(count)d profiles.",
                asked,
            )
            % {"count": asked},
            messages.SUCCESS,
        )
