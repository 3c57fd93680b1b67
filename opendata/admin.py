from django.contrib import admin

from opendata.models import Dump
from patio.admin import ReadOnlyAdmin


@admin.register(Dump)
class DumpAdmin(ReadOnlyAdmin):
    """The nightly dumps, as their task wrote them: built and pruned by opendata.services."""

    list_display = ["version", "day", "status", "created_at", "ready_at", "zip_size"]
    list_filter = ["status"]
    fields = [
        "version",
        "day",
        "status",
        "created_at",
        "ready_at",
        "zip_size",
        "zip_sha256",
        "graph_size",
        "graph_sha256",
        "dcat_size",
        "dcat_sha256",
        "counts",
    ]
