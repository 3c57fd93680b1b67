from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from accounts import roles
        from members.permissions import is_network_admin, person_of

        roles.register("network_admin", _("network admin"), is_network_admin)
        roles.register(
            "coop_admin",
            _("co-op admin"),
            lambda user: bool(getattr(person_of(user), "is_coop_admin", False)),
        )

        from members import signals  # noqa: F401 - connects the receivers
        from patio import emails

        emails.register_pages(
            unsubscribe="members:email_unsubscribe", preferences="members:email_preferences"
        )
