from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from members import signals  # noqa: F401 - connects the receivers
        from patio import emails

        emails.register_pages(
            unsubscribe="members:email_unsubscribe", preferences="members:email_preferences"
        )
