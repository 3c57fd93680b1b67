from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from audit.context import clear_token_in_use

        # A token authenticates one request only: never let it reach the thread's next one.
        request_started.connect(clear_token_in_use, dispatch_uid="audit.clear_token.start")
        request_finished.connect(clear_token_in_use, dispatch_uid="audit.clear_token.finish")
