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
        _register_email_kinds()
        _register_webhook_events()


def _register_webhook_events() -> None:
    from policies.models import Policy
    from policies.selectors import visible_policies, with_versions
    from policies.serializers import PolicyOut
    from policies.services import VERSION_ADOPTED
    from webhooks.events import register_kind

    register_kind(
        VERSION_ADOPTED,
        label=_("A policy version was adopted"),
        description=_(
            "A policy was recorded with its founding text, or an amendment adopted as its new "
            "version; the policy comes with all its versions, the new one first."
        ),
        serializer=PolicyOut,
        rows=lambda: with_versions(Policy.objects.all()),
        visible_to=visible_policies,
        once=True,
    )


def _register_email_kinds() -> None:
    from patio.emails import register_kind
    from policies.emails import POLICY_REMINDERS

    register_kind(
        POLICY_REMINDERS,
        label=_("Consent rounds and policy reviews"),
        description=_(
            "A consent round closing soon that you have not answered, and policies your circle "
            "owns that are due for review."
        ),
        order=50,
    )
