from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change that matters (roles, memberships, invitations, tokens…): who, what, when."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    # The API token the actor acted through, if any: its id and prefix (no foreign key, so the
    # record outlives the token and the audit app keeps below accounts).
    token_id = models.PositiveBigIntegerField(_("API token id"), null=True, blank=True)
    token_prefix = models.CharField(_("API token"), max_length=16, blank=True)
    # A confidential event (a mediation case's) is kept for the record but shown in no list:
    # not in the admin, not in a person's data download, and the security log leaves out who.
    confidential = models.BooleanField(_("confidential"), default=False, editable=False)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"
