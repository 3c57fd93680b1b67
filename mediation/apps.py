from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Conflict resolution")

    def ready(self) -> None:
        from assemblies.hooks import register_agenda_source
        from mediation import emails, sections, selectors, services
        from privacy.hooks import register_erasure_listener, register_export_section
        from privacy.selectors import Section

        emails.register_kinds()
        sections.register()
        register_agenda_source("mediation", selectors.agenda_escalations)
        register_export_section(Section("mediation_cases", selectors.export_rows, csv=False))
        register_erasure_listener("mediation", services.cases_forget_for_erasure)
