"""The privacy emails: "your download is ready" (once per export), and "your account was
erased". Both are about one's own account, so they have no unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from patio.delivery import Outbox, deliver
from privacy.models import DataExport

READY_EMAILS = Outbox(DataExport, taken="emailed_at")


def _send(to: str, language: str, template: str, context: dict[str, object]) -> int:
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"privacy/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"privacy/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])
    return 1


def _ready(export: DataExport) -> int:
    person = export.person
    if not person.email_address:
        return 0
    url = settings.SITE_URL + reverse("privacy:home")
    return _send(person.email_address, person.language, "ready", {"export": export, "url": url})


def data_export_ready_send(*, export_id: int) -> bool:
    """Tell the person their download is ready, once."""
    rows = DataExport.objects.select_related("person__user")
    ready = Q(status=DataExport.Status.READY)
    return bool(deliver(READY_EMAILS, ids=[export_id], send=_ready, where=ready, rows=rows))


def erasure_notice_send(*, to: str, language: str, by_coop_admin: bool) -> int:
    return _send(to, language, "erased", {"by_coop_admin": by_coop_admin})
