from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from circles.hooks import register_circle_section
        from members.hooks import (
            MORE,
            WAITING,
            register_home_section,
            register_invitation_accepted,
            register_invitation_note,
            register_person_section,
        )
        from projects import sections
        from projects.services.staffing import join_invitation_notes, seats_accept_on_join
        from projects.views.opportunities import circle_section
        from projects.views.teams import person_section

        register_circle_section(circle_section)
        register_person_section(person_section)
        register_home_section(sections.home_invitations_section, slot=WAITING, order=30)
        register_home_section(sections.home_opportunities_section, slot=MORE, order=10)
        register_home_section(sections.home_teams_section, slot=MORE, order=20)
        register_invitation_accepted(seats_accept_on_join)
        register_invitation_note(join_invitation_notes)
        _register_email_kinds()
        _register_webhook_events()


def _register_webhook_events() -> None:
    from projects.models import Opportunity
    from projects.selectors.opportunities import as_listed, opportunities_visible_to
    from projects.serializers import OpportunityOut
    from projects.services.opportunities import OPPORTUNITY_CLOSED, OPPORTUNITY_OPENED
    from webhooks.events import register_kind

    kinds = [
        (
            OPPORTUNITY_OPENED,
            _("An opportunity opened"),
            _("A circle published a job opportunity: people may say they are interested."),
        ),
        (
            OPPORTUNITY_CLOSED,
            _("An opportunity closed"),
            _("It was closed or cancelled, and takes nobody more."),
        ),
    ]
    for key, label, description in kinds:
        register_kind(
            key,
            label=label,
            description=description,
            serializer=OpportunityOut,
            rows=lambda: as_listed(Opportunity.objects.all()),
            visible_to=opportunities_visible_to,
            once=True,
        )


def _register_email_kinds() -> None:
    from members.models import Person
    from patio.emails import register_kind
    from projects.emails import TEAM_INVITATIONS

    register_kind(
        Person.OPPORTUNITY_EMAILS,
        label=_("Opportunities that fit me"),
        description=_(
            "Job opportunities that open in the network and fit your skills, hours and languages."
        ),
        order=10,
    )
    register_kind(
        TEAM_INVITATIONS,
        label=_("Team invitations"),
        description=_(
            "When a coordinator invites you to a project's team. You still see invitations on "
            "your home page."
        ),
        order=20,
    )
