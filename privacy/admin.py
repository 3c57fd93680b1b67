from django.contrib import admin
from django.http import HttpRequest

from privacy.models import DataExport, Erasure


class _ReadOnly(admin.ModelAdmin):
    """A record of what happened: written only by the privacy services, never in the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Erasure)
class ErasureAdmin(_ReadOnly):
    list_display = ["person", "by", "erased_at"]
    list_filter = ["by"]


@admin.register(DataExport)
class DataExportAdmin(_ReadOnly):
    # No link to the file: only its owner downloads it, through the privacy page.
    list_display = ["person", "status", "progress", "created_at", "expires_at"]
    list_filter = ["status"]
    fields = ["person", "status", "progress", "size", "created_at", "ready_at", "expires_at"]
