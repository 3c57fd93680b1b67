from django.contrib import admin

from intake.models import HelpRequest


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "need", "country", "status", "created_at"]
    list_filter = ["status", "need", "budget_range"]
    search_fields = ["organisation_name", "contact_name", "contact_email"]
    date_hierarchy = "created_at"
    list_select_related = ["handled_by"]
    raw_id_fields = ["handled_by", "opportunity"]
    filter_horizontal = ["preferred_languages"]
    # Status moves through the triage page, which emails the requester and audits.
    readonly_fields = [
        "status",
        "handled_by",
        "handled_at",
        "opportunity",
        "acknowledged_at",
        "reply_sent_at",
        "language",
        "created_at",
    ]
