from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assemblies import services
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    AssemblySeries,
    CalendarFeedToken,
    CircleUpdate,
    Correction,
    Decision,
    ReminderDelivery,
    ReminderSettings,
)
from patio.admin import ReadOnlyAdmin


@admin.register(AssemblySeries)
class AssemblySeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "nth", "weekday", "slots", "active"]
    actions = ["extend"]

    @admin.action(description=_("Create the next three assemblies"))
    def extend(self, request, queryset):
        created = sum(
            len(services.series_extend(series=s, count=3, actor=request.user)) for s in queryset
        )
        self.message_user(
            request,
            ngettext("%(n)d assembly created.", "%(n)d assemblies created.", created)
            % {"n": created},
            messages.SUCCESS,
        )


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "kind", "title", "time_box_minutes", "proposer", "source_key"]
    readonly_fields = ["source_key"]
    raw_id_fields = ["proposer"]
    extra = 0


@admin.register(Assembly)
class AssemblyAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "status", "facilitator", "note_taker", "agenda_published_at"]
    list_filter = ["status", "series"]
    date_hierarchy = "start"
    search_fields = ["title"]
    raw_id_fields = ["facilitator", "note_taker", "current_item"]
    list_select_related = ["facilitator", "note_taker"]
    inlines = [AgendaItemInline]


@admin.register(CircleUpdate)
class CircleUpdateAdmin(admin.ModelAdmin):
    list_display = ["circle", "assembly", "author", "updated_at"]
    list_select_related = ["circle", "assembly", "author"]
    raw_id_fields = ["author"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Decisions are recorded on the assembly page (quorum checked, audited), never here."""

    list_display = ["__str__", "assembly", "method", "outcome", "without_quorum", "created_at"]
    list_filter = ["method", "outcome", "without_quorum"]
    readonly_fields = ["without_quorum", "present_count", "quorum_needed"]
    search_fields = ["text", "objections"]
    list_select_related = ["assembly"]
    raw_id_fields = ["agenda_item", "recorded_by"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Corrections are part of the record: added on the assembly page (audited), never edited."""

    list_display = ["__str__", "assembly", "author", "created_at"]
    list_select_related = ["assembly", "author"]
    readonly_fields = ["assembly", "agenda_item", "decision", "text", "reason", "author"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "due_date", "status", "assembly"]
    list_filter = ["status"]
    list_select_related = ["owner", "assembly"]
    raw_id_fields = ["owner", "agenda_item"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    """One row: the admin edits it, nobody adds a second or deletes it."""

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """The record of what was sent. Read only: editing it could send a reminder twice."""

    list_display = ["assembly", "person", "kind", "queued_at", "attempted_at", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["assembly", "person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at", "revoked_at"]
    readonly_fields = ["person", "digest", "created_at"]
    list_select_related = ["person"]

    def has_add_permission(self, request):
        return False
