"""Admin: read-mostly views of policies; adopted versions are never edited here either."""

from django.contrib import admin

from patio.admin import ReadOnlyAdmin
from policies.models import (
    Amendment,
    AmendmentComment,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyReminder,
    PolicyTranslation,
    PolicyVersion,
)


class VersionInline(admin.TabularInline):
    model = PolicyVersion
    extra = 0
    can_delete = False
    fields = ("number", "summary", "effective_date", "decision", "consent_round", "amendment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "circle", "visibility", "review_date"]
    list_filter = ["category", "visibility"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [VersionInline]


@admin.register(PolicyTranslation)
class PolicyTranslationAdmin(ReadOnlyAdmin):
    """A translation is added and updated on the policy's page, where the change is audited."""

    list_display = ["policy", "language", "source_version", "translator", "updated_at"]
    list_select_related = ["policy", "source_version", "translator"]
    list_filter = ["language"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["policy", "number", "effective_date", "decision", "consent_round"]
    list_select_related = ["policy", "decision", "consent_round"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RoundInline(admin.TabularInline):
    model = ConsentRound
    extra = 0
    can_delete = False
    readonly_fields = ("number", "revision", "opens_at", "closes_at", "closed_at", "outcome")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["title", "policy", "proposer", "status", "revision", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["policy", "proposer"]
    search_fields = ["title"]
    readonly_fields = ["status", "revision", "proposer", "base_version"]
    inlines = [RoundInline]


@admin.register(ConsentResponse)
class ConsentResponseAdmin(ReadOnlyAdmin):
    """A person's consent, concern or objection: given on the amendment's page, never here."""

    list_display = ["round", "person", "answer", "resolution", "updated_at"]
    list_select_related = ["round__amendment", "person"]
    list_filter = ["answer", "resolution"]


@admin.register(AmendmentComment)
class AmendmentCommentAdmin(admin.ModelAdmin):
    list_display = ["amendment", "author", "created_at"]
    list_select_related = ["amendment", "author"]


@admin.register(PolicyReminder)
class PolicyReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "person", "round", "policy", "queued_at", "sent_at"]
    list_select_related = ["person", "round", "policy"]
    list_filter = ["kind"]
