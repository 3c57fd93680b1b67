from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import get_translation_fields

from members.models import (
    Invitation,
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    SkillCategory,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "status", "size"]
    list_filter = ["kind", "status", "country"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sectors", "languages", "federations"]


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    autocomplete_fields = ["skill"]
    extra = 0


class PersonLanguageInline(admin.TabularInline):
    model = PersonLanguage
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "organisation", "participation", "is_coop_admin", "timezone"]
    list_filter = ["participation", "is_coop_admin"]
    search_fields = ["display_name", "user__email", "organisation__name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["user", "organisation"]
    inlines = [PersonSkillInline, PersonLanguageInline]


# A name field per language (members/translation.py); English is the one required, and slugs
# are made from it (MODELTRANSLATION_PREPOPULATE_LANGUAGE). Search looks in every language.
@admin.register(Skill)
class SkillAdmin(TranslationAdmin):
    list_display = ["name", "category", "esco_uri"]
    list_filter = ["category"]
    search_fields = [*get_translation_fields("name"), "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SkillCategory)
class SkillCategoryAdmin(TranslationAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    search_fields = get_translation_fields("name")
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "as_coop_admin",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["accepted_at", "accepted_by", "email_sent_at"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invitations are made on the co-op's page (members.services.invitation_create), which
        # emails the link's only copy; one added here would have no link at all.
        return False
