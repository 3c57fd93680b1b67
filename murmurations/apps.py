from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MurmurationsConfig(AppConfig):
    name = "murmurations"
    verbose_name = _("Murmurations")

    def ready(self) -> None:
        from murmurations import coops

        coops.register()
        coops.listen()
