from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from catalogue.models import FunctionCategory, ProgrammingLanguage


# Entries, providers and uses change only through the pages and the API, whose services keep
# the derived licence fields, the search vector and the audit log.
@admin.register(FunctionCategory)
class FunctionCategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ProgrammingLanguage)
class ProgrammingLanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
