from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        from assemblies.sections import person_actions_section
        from members.hooks import register_person_section

        register_person_section(person_actions_section)
