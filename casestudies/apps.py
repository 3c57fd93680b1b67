from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = _("Case studies")

    def ready(self) -> None:
        from casestudies import sections
        from catalogue.hooks import software_page
        from members.hooks import organisation_page
        from projects.hooks import project_page

        organisation_page.register(sections.coop_section, order=40)
        software_page.register(sections.software_section, order=10)
        project_page.register(sections.project_software_section, order=5)
        project_page.register(sections.project_section, order=10)
