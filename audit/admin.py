from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "token", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__email", "object_id", "token_prefix"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    @admin.display(description=_("through API token"), ordering="token_prefix")
    def token(self, obj: AuditEvent) -> str:
        return f"{obj.token_prefix}… (#{obj.token_id})" if obj.token_id else "—"

    def get_queryset(self, request):
        # Confidential events (mediation cases) stay in the record but not in this list: being
        # a network admin does not make one a reader of a conflict, nor of who brought it.
        return super().get_queryset(request).filter(confidential=False)

    # The log is a record: nobody edits or deletes it, not even admins.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
