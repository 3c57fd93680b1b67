"""Where each profile stands in the Murmurations index (MURMURATIONS_INDEX_URL)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Registration(models.Model):
    """One profile's registration with the index: what was last asked of the index, what it
    answered, and what is still to do. A change to the profile's object asks again (`version`
    goes up); a sync task claims the row (`taken_at`), registers the profile while its object is
    public and removes it once it is not, then settles the row or schedules the next attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        REGISTERED = "registered", _("Registered")
        REMOVED = "removed", _("Removed from the index")
        RETRYING = "retrying", _("Failing, will try again")
        FAILED = "failed", _("Failed: gave up for now")

    kind = models.CharField(_("kind of profile"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object"))
    profile_url = models.URLField(_("profile URL"), max_length=500)
    # What the object was called when its profile was last asked for, for the admin's list.
    label = models.CharField(_("name"), max_length=200, blank=True)
    index_url = models.URLField(_("index"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # The index's own words: its id for the node (the SHA-256 of the profile URL) and its status
    # (received, validated, posted, validation_failed, post_failed, deleted).
    node_id = models.CharField(_("node id"), max_length=64, blank=True)
    index_status = models.CharField(_("index status"), max_length=32, blank=True)
    # The index may hold the node: set before each registering request (its answer may be lost
    # after the index took it), cleared once it is removed. A profile never listed needs no
    # removal.
    listed = models.BooleanField(_("may be in the index"), default=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    requested_at = models.DateTimeField(_("change asked for"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    settled_at = models.DateTimeField(_("done"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_registered_at = models.DateTimeField(_("last registered"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("index status read"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Murmurations registration")
        verbose_name_plural = _("Murmurations registrations")
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="murmurations_one_per_object"
            )
        ]
        indexes = [models.Index(fields=["settled_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.label or self.profile_url
