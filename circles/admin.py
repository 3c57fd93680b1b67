from django.contrib import admin

from circles.models import Circle, CircleMembership, MembershipRequest


class CircleMembershipInline(admin.TabularInline):
    model = CircleMembership
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "status", "triages_help_requests"]
    list_filter = ["status", "triages_help_requests"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CircleMembershipInline]


@admin.register(CircleMembership)
class CircleMembershipAdmin(admin.ModelAdmin):
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
