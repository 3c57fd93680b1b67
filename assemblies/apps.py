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
        _register_email_kinds()


def _register_email_kinds() -> None:
    from assemblies.emails import ASSEMBLY_REMINDERS, UPDATE_REMINDERS
    from patio.emails import register_kind

    register_kind(
        ASSEMBLY_REMINDERS,
        label=_("Assembly invitations and reminders"),
        description=_(
            "The agenda when it is published, then a reminder the day and the hour before."
        ),
        order=30,
    )
    register_kind(
        UPDATE_REMINDERS,
        label=_("Circle update reminders"),
        description=_("For coordinators: a circle's update for the assembly is still missing."),
        order=40,
    )
