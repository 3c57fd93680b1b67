"""Admin: read-only views of the hub. Guides, translations and paths are written on the hub's
pages or through the API, where every change is audited."""

from django.contrib import admin

from hub.models import Guide, GuideDone, GuideTranslation, LearningPath, Tag
from patio.admin import ReadOnlyAdmin


@admin.register(Guide)
class GuideAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "language", "status", "reviewer_circle", "published_at"]
    list_filter = ["status", "category", "language"]
    search_fields = ["title", "slug"]


@admin.register(GuideTranslation)
class GuideTranslationAdmin(ReadOnlyAdmin):
    list_display = ["guide", "language", "source_revision", "translator"]


@admin.register(LearningPath)
class LearningPathAdmin(ReadOnlyAdmin):
    list_display = ["title", "suggested_to_newcomers"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(GuideDone)
class GuideDoneAdmin(ReadOnlyAdmin):
    list_display = ["person", "guide", "done_at"]
