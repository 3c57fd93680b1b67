from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Knowledge hub")

    def ready(self) -> None:
        from hub.sections import home_path_section, home_review_section
        from members.hooks import MORE, WAITING, register_home_section

        register_home_section(home_review_section, slot=WAITING, order=70)
        register_home_section(home_path_section, slot=MORE, order=5)
