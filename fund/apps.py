from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Common fund")

    def ready(self) -> None:
        from fund.sections import home_claims_section
        from members.hooks import WAITING, register_home_section

        register_home_section(home_claims_section, slot=WAITING, order=40)
