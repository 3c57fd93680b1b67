from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from feedback import emails, sections
        from members.hooks import WAITING, register_home_section, register_person_section
        from projects.hooks import project_page

        emails.register_kinds()
        register_person_section(sections.person_section)
        register_home_section(sections.home_section, slot=WAITING, order=75)
        project_page.register(sections.project_section)
        _track_deletions()


def _track_deletions() -> None:
    from feedback.models import FeedbackRequest
    from sync.models import Tombstone
    from sync.resources import Resource, register_resource

    # A request is its asker's alone: only they learn that it went.
    register_resource(
        FeedbackRequest,
        Resource("feedback", "id", lambda obj: (Tombstone.Audience.PRIVATE, obj.asker.user_id)),
    )
