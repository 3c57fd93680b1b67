from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sync"
    verbose_name = _("Sync")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, pre_delete

        from sync import services
        from sync.resources import RESOURCES

        for model in RESOURCES:
            pre_delete.connect(services.on_pre_delete, sender=model, dispatch_uid="sync-pre")
            post_delete.connect(services.on_post_delete, sender=model, dispatch_uid="sync-post")
