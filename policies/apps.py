from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from assemblies.hooks import register_agenda_source, register_decision_listener
        from members.hooks import WAITING, register_home_section
        from policies import services
        from policies.sections import home_rounds_section

        register_agenda_source(services.AGENDA_SOURCE, services.unresolved_amendments)
        register_decision_listener(services.AGENDA_SOURCE, services.on_decision_recorded)
        register_home_section(home_rounds_section, slot=WAITING, order=20)
