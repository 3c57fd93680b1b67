from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MurmurationsConfig(AppConfig):
    name = "murmurations"
    verbose_name = _("Murmurations")

    def ready(self) -> None:
        from members.hooks import organisation_page
        from murmurations import coops, views

        coops.register()
        coops.listen()
        organisation_page.register(views.coop_section)
