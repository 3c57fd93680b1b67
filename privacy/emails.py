"""The privacy emails: "your download is ready" (once per export), and "your account was
erased". Both are about one's own account, so they have no unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import message_id
from privacy.models import DataExport, Erasure

READY_EMAILS = Outbox(DataExport, taken="email_taken_at", settled="emailed_at")


def _send(
    to: str, language: str, template: str, context: dict[str, object], *, message_id: str = ""
) -> int:
    """One email; `message_id` is its stable Message-ID when it is about a row (Django makes one
    up otherwise)."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"privacy/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"privacy/email/{template}_body.txt", context)
    headers = {"Message-ID": message_id} if message_id else {}
    EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers
    ).send()
    return 1


def _ready(export: DataExport) -> int:
    person = export.person
    if not person.email_address:
        return 0
    url = settings.SITE_URL + reverse("privacy:home")
    context = {"export": export, "url": url}
    return _send(
        person.email_address, person.language, "ready", context, message_id=message_id(export)
    )


READY = Q(status=DataExport.Status.READY)


def data_export_ready_send(*, export_id: int) -> bool:
    """Tell the person their download is ready, once."""
    rows = DataExport.objects.select_related("person__user")
    return bool(deliver(READY_EMAILS, ids=[export_id], send=_ready, where=READY, rows=rows))


def erasure_notice_send(
    *, to: str, language: str, by_coop_admin: bool, erasure_id: int | None = None
) -> int:
    """The notice that an account was erased; a repeat (a retry after the mail server took it)
    carries the same Message-ID, built from the Erasure row."""
    stable = message_id(Erasure(pk=erasure_id)) if erasure_id else ""
    return _send(to, language, "erased", {"by_coop_admin": by_coop_admin}, message_id=stable)


delivery.register(
    delivery.Sender(
        key="privacy.export_ready",
        outbox=READY_EMAILS,
        send_ids=lambda ids: sum(data_export_ready_send(export_id=pk) for pk in ids),
        applies=lambda: READY,
        due="ready_at",
    )
)
