from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Common fund")

    def ready(self) -> None:
        from accounts import roles
        from fund.permissions import is_finance_member

        roles.register("finance", _("finance approver"), is_finance_member)

        from circles.hooks import register_guarding_circle
        from fund.permissions import is_finance_circle

        register_guarding_circle(is_finance_circle)

        from fund.sections import home_claims_section
        from members.hooks import WAITING, register_home_section

        register_home_section(home_claims_section, slot=WAITING, order=40)

        from fund.emails import PLEDGE_REMINDERS
        from patio.emails import register_kind

        register_kind(
            PLEDGE_REMINDERS,
            label=_("Pledge reminders"),
            description=_("For co-op admins: a pledge to the common fund is due or overdue."),
            order=60,
        )

        from fund.selectors import backup_figures
        from patio.backup import register_figure

        register_figure("fund_balances", backup_figures)
