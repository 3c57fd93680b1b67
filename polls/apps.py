from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        from assemblies.hooks import register_agenda_source
        from polls import emails
        from polls.selectors import agenda_outcomes

        emails.register_kinds()
        register_agenda_source("polls", agenda_outcomes)
