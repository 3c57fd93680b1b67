from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        from discussions import emails, sections

        emails.register_kinds()
        sections.register()
