from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.services import notification_record
        from patio import emails

        # Every event email of every app passes here as it is sent (patio.emails.EventMessage).
        emails.register_event_listener(notification_record)
