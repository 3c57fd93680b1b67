from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from accounts.services import token_create, token_revoke


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "last_login", "date_joined"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "scope", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    fields = ["name", "user", "scope", "expires_at"]
    readonly_fields = ["expires_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    has_view_permission = has_add_permission = lambda self, request, obj=None: (
        request.user.is_active and request.user.is_staff
    )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, secret = token_create(
            actor=request.user, user=obj.user, name=obj.name, scope=obj.scope
        )
        obj.pk = token.pk
        messages.warning(
            request,
            _("Copy this token now, it will not be shown again: %(secret)s") % {"secret": secret},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(actor=request.user, token=token)
