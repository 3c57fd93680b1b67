from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        from discussions import emails, sections

        emails.register_kinds()
        sections.register()
        _track_deletions()


def _track_deletions() -> None:
    from discussions.models import Thread
    from discussions.selectors import threads_visible_to
    from sync.resources import Resource, public_if_visitors_see, register_resource

    register_resource(
        Thread, Resource("discussions", "id", public_if_visitors_see(threads_visible_to))
    )
