from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """Something the API served was deleted: partners read these in /api/v1/changes/ and drop
    their copy. Only the resource and the key the API addressed it by are kept, nothing of it."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members of the network")
        # Network admins, and `user` when set (the owner of a token).
        PRIVATE = "private", _("Network admins and the owner")

    resource = models.CharField(_("resource"), max_length=40)
    # The id, or the slug for resources the API addresses by slug.
    object_id = models.CharField(_("object"), max_length=200)
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now, db_index=True)
    audience = models.CharField(_("who may see it"), max_length=8, choices=Audience.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["deleted_at", "id"]
        indexes = [models.Index(fields=["resource", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.resource}/{self.object_id} ({self.deleted_at:%Y-%m-%d %H:%M})"
