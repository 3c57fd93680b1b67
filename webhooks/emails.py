"""The email a subscription's owner gets when it is paused: once per pause, at least once.

The notice columns of the subscription are its outbox (patio.delivery): the send claims the row
with a conditional UPDATE, so a second delivery of the task sends nothing, and a worker killed
mid-send leaves a claim that beat's `requeue_unsent_sends` takes again. A repeat after such a
kill carries the same Message-ID (the pause's own), so it shows as one."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import message_id, plain_message
from webhooks.models import Attempt, Subscription

NOTICES = Outbox(Subscription, taken="notice_taken_at", settled="notice_sent_at")


def _paused() -> Q:
    return Q(status=Subscription.Status.PAUSED, paused_at__isnull=False)


def _last_error(subscription: Subscription) -> str:
    attempt = (
        Attempt.objects.filter(delivery__subscription=subscription).order_by("-at", "-id").first()
    )
    if attempt is None:
        return ""
    if attempt.response_status is not None:
        return f"HTTP {attempt.response_status}"
    return attempt.error


def _send(subscription: Subscription) -> int:
    user = subscription.token.user
    person = getattr(user, "person", None)
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    assert subscription.paused_at is not None  # the claim requires it
    context = {
        "subscription": subscription,
        "site_name": settings.SITE_NAME,
        "host": urlsplit(subscription.url).hostname,
        "days": settings.WEBHOOK_PAUSE_AFTER_DAYS,
        "last_error": _last_error(subscription),
        "resume_url": settings.SITE_URL
        + reverse("api:webhook-subscription-resume", args=[subscription.pk]),
        "deliveries_url": settings.SITE_URL
        + reverse("api:webhook-subscription-deliveries", args=[subscription.pk]),
    }
    with translation.override(language):
        subject = render_to_string("webhooks/email/paused_subject.txt", context).strip()
        body = render_to_string("webhooks/email/paused_body.txt", context)
    plain_message(
        to=user.email,
        subject=subject,
        body=body,
        message_id=message_id(subscription, "paused", int(subscription.paused_at.timestamp())),
    ).send()
    return 1


def pause_notices_send(*, ids: list[int]) -> int:
    """Tell each paused subscription's owner, once per pause; returns how many emails went."""
    return deliver(
        NOTICES,
        ids=ids,
        send=_send,
        where=_paused(),
        rows=Subscription.objects.select_related("token__user"),
    )


delivery.register(
    delivery.Sender(
        key="webhooks.pause_notices",
        outbox=NOTICES,
        send_ids=lambda ids: pause_notices_send(ids=ids),
        applies=_paused,
        due="paused_at",
    )
)
