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
        _register_webhook_events()


def _register_webhook_events() -> None:
    from assemblies.models import Assembly, Decision
    from assemblies.selectors import as_served, assembly_detail, decisions_log
    from assemblies.serializers import AssemblyOut, DecisionOut
    from assemblies.services import ASSEMBLY_SCHEDULED, DECISION_RECORDED
    from webhooks.events import register_kind

    register_kind(
        ASSEMBLY_SCHEDULED,
        label=_("An assembly was scheduled"),
        description=_("A new assembly, or one moved to another time (members' tokens only)."),
        serializer=AssemblyOut,
        rows=lambda: as_served(Assembly.objects.all()),
        visible_to=assembly_detail,
        once=True,
    )
    register_kind(
        DECISION_RECORDED,
        label=_("A decision was recorded"),
        description=_("An assembly recorded a decision (members' tokens only)."),
        serializer=DecisionOut,
        rows=lambda: Decision.objects.all(),
        visible_to=decisions_log,
        once=True,
    )


def _register_email_kinds() -> None:
    from assemblies.emails import ASSEMBLY_REMINDERS, MINUTES_EMAILS, UPDATE_REMINDERS
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
    register_kind(
        MINUTES_EMAILS,
        label=_("Draft minutes to correct"),
        description=_("The draft minutes of an assembly you attended are up for corrections."),
        order=45,
    )
