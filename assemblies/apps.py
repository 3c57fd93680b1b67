from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        from assemblies.sections import (
            home_actions_section,
            home_rsvps_section,
            person_actions_section,
        )
        from members.hooks import WAITING, register_home_section, register_person_section

        register_person_section(person_actions_section)
        register_home_section(home_rsvps_section, slot=WAITING, order=10)
        register_home_section(home_actions_section, slot=WAITING, order=50)
