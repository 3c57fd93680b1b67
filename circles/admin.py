from django.contrib import admin

from circles.models import Circle, CircleMembership, MembershipRequest
from patio.admin import ReadOnlyAdmin, ReadOnlyInline


class CircleMembershipInline(ReadOnlyInline):
    """Shown, not edited: a membership changes on the circle's page, through the services, which
    keep its history, refresh participation and write the audit log (finance approvers too)."""

    model = CircleMembership
    fields = ["person", "role", "start_date", "end_date"]
    readonly_fields = ["person", "role", "start_date", "end_date"]


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "status", "triages_help_requests", "handles_conflicts"]
    list_filter = ["status", "triages_help_requests", "handles_conflicts"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CircleMembershipInline]


@admin.register(CircleMembership)
class CircleMembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "circle", "role", "start_date", "end_date"]
    list_filter = ["role", "circle"]
    search_fields = ["person__display_name", "circle__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "circle"]


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "circle", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["person", "circle"]
    raw_id_fields = ["person", "decided_by"]
