from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from accounts import roles
        from members.permissions import is_network_admin, person_of

        roles.register("network_admin", _("network admin"), is_network_admin)
        roles.register(
            "coop_admin",
            _("co-op admin"),
            lambda user: bool(getattr(person_of(user), "is_coop_admin", False)),
        )

        from members import signals  # noqa: F401 - connects the receivers
        from patio import emails

        emails.register_pages(
            unsubscribe="members:email_unsubscribe", preferences="members:email_preferences"
        )
        _register_webhook_events()


def _register_webhook_events() -> None:
    from members.models import Organisation
    from members.selectors import organisations_visible_to, with_details
    from members.serializers import OrganisationOut
    from members.services import ORGANISATION_CREATED, ORGANISATION_LEFT, ORGANISATION_UPDATED
    from webhooks.events import register_kind

    kinds = [
        (
            ORGANISATION_CREATED,
            _("A co-op or organisation was added"),
            _("A network admin added it; it starts as an applicant unless they said otherwise."),
        ),
        (
            ORGANISATION_UPDATED,
            _("A co-op's details changed"),
            _("Its page, sectors, languages, federations or membership status."),
        ),
        (
            ORGANISATION_LEFT,
            _("A co-op left the network"),
            _("Its membership status became “left”."),
        ),
    ]
    for key, label, description in kinds:
        register_kind(
            key,
            label=label,
            description=description,
            serializer=OrganisationOut,
            rows=lambda: with_details(Organisation.objects.all()),
            visible_to=organisations_visible_to,
            once=key == ORGANISATION_CREATED,
        )
