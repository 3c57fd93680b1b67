from django.contrib import admin

from projects.models import (
    Interest,
    MatchRun,
    Opportunity,
    OpportunityNotification,
    OpportunityRole,
    OpportunityTransition,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
)


class RoleInline(admin.TabularInline):
    model = OpportunityRole
    extra = 0


class TransitionInline(admin.TabularInline):
    model = OpportunityTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "circle", "status", "visibility", "budget", "currency", "created_at"]
    list_filter = ["status", "visibility", "circle"]
    search_fields = ["title"]
    raw_id_fields = ["posted_by", "source_coop", "client_organisation"]
    # Status changes go through the service (allowed moves, history, notifications).
    readonly_fields = ["status", "opened_at"]
    inlines = [RoleInline, TransitionInline]


@admin.register(RoleSkill)
class RoleSkillAdmin(admin.ModelAdmin):
    list_display = ["role", "skill", "min_level", "weight"]
    raw_id_fields = ["role"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["person", "opportunity", "role", "created_at"]
    raw_id_fields = ["person", "opportunity", "role"]


@admin.register(OpportunityNotification)
class OpportunityNotificationAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "person", "channel", "created_at", "sent_at"]
    list_filter = ["channel"]
    raw_id_fields = ["person", "opportunity"]


class TeamRoleInline(admin.TabularInline):
    model = TeamRole
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "circle", "status", "phase", "visibility", "created_at"]
    list_filter = ["status", "phase", "visibility"]
    search_fields = ["name"]
    raw_id_fields = ["opportunity", "lead_coop", "source_coop", "client_organisation"]
    filter_horizontal = ["leads"]
    inlines = [TeamRoleInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "role", "status", "invited_at", "invitation_sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "project", "role", "match_run"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["project", "mode", "status", "progress", "solver_status", "created_at"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["project", "role", "requested_by"]
    # Runs are written by the matching task only.
    readonly_fields = ["status", "progress", "result", "solver_status", "proven_gap", "error"]
