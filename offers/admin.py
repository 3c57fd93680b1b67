from django.contrib import admin

from offers.models import Post, Reply, SavedSearch
from patio.admin import ReadOnlyAdmin


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["title", "exchange", "kind", "state", "poster", "ends_on"]
    list_filter = ["exchange", "kind", "state", "scope"]
    search_fields = ["title"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["post", "author", "created_at", "email_sent_at"]


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ["name", "person", "frequency"]
