"""What happened that concerns a person, in one list: one row per event email, whatever app
sent it (patio.emails), read or not, and held for a digest when they chose one."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Person


class Notification(models.Model):
    class Digest(models.TextChoices):
        NONE = "", _("Emailed at once")
        DAILY = Person.Notify.DAILY.value, _("In the daily digest")
        WEEKLY = Person.Notify.WEEKLY.value, _("In the weekly digest")

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)  # a key of patio.emails.kinds()
    title = models.CharField(max_length=300)  # in the recipient's language when it was sent
    url = models.CharField(max_length=500, blank=True)  # a path of this site, or an address
    # The event email's stable Message-ID: a second send of one email adds no second row.
    message_id = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Which digest the email waits for ("" when it was emailed at once); the digest claims its
    # rows (digest_taken_at) and marks them sent (patio.delivery).
    digest = models.CharField(max_length=8, choices=Digest.choices, blank=True, default="")
    digest_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "message_id"], name="one_notification_per_email"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["digest", "created_at"],
                condition=~Q(digest="") & Q(digest_sent_at__isnull=True),
                name="notification_held_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
