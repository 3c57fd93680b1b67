from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Help requests")

    def ready(self):
        from circles.hooks import register_circle_section
        from intake.emails import register_kinds
        from intake.sections import home_triage_section
        from intake.views import circle_section
        from members.hooks import WAITING, register_home_section

        register_kinds()
        register_circle_section(circle_section)
        register_home_section(home_triage_section, slot=WAITING, order=60)
