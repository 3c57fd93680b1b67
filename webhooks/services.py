"""Every write to webhooks: subscribing, and the way from an event to a receiver.

The flow: a service's write calls `webhooks.events.emit`, which writes the `Event` and an outbox
message (patio.outbox) in the write's transaction. Once it commits, `fan_out` writes one
`Delivery` per subscription that wants the event and may read its subject (the unique pair makes
a second fan-out harmless) and queues the sends. Each attempt claims its delivery first
(patio.delivery's `take`), so two messages for one delivery never make two requests at once;
the request is signed as Standard Webhooks says (the `standardwebhooks` package) and logged as
an `Attempt`. A 2xx delivers it. Otherwise it is tried again after WEBHOOK_RETRY_FIRST_SECONDS,
then twice as long each time, until WEBHOOK_RETRY_HOURS have passed (a last attempt at the end);
beat's `dispatch_due` queues the attempts that are due. A subscription whose attempts have all
failed for WEBHOOK_PAUSE_AFTER_DAYS is paused, with one conditional UPDATE, and its owner is
emailed once (webhooks.emails).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from standardwebhooks import Webhook

from accounts.models import AnyUser, ApiToken
from audit.services import audit_record
from patio import delivery, outbox
from webhooks import events, permissions, targets
from webhooks.models import Attempt, Delivery, Event, Subscription
from webhooks.tasks import send_deliveries, send_pause_notices

DELIVERIES = delivery.Outbox(Delivery, taken="taken_at", settled="settled_at", queued="queued_at")
# Deliveries per send task: each may wait WEBHOOK_TIMEOUT_SECONDS at every network step.
SEND_BATCH = 5
# Deliveries one beat dispatch queues at most: a backlog drains over a few runs.
DISPATCH_LIMIT = 500
SECRET_BYTES = 32
USER_AGENT = "Patio-Webhooks/1.0"


class DeliveryBusy(ValidationError):
    """The delivery is being attempted right now (the API answers 409)."""


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes one: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _clean_events(values: Sequence[str]) -> list[str]:
    known = {kind.key for kind in events.kinds()}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValidationError(
            {"events": _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)}}
        )
    if not values:
        raise ValidationError({"events": _("Choose at least one event type.")})
    return sorted(set(values))


# Subscriptions -------------------------------------------------------------------------------
@transaction.atomic
def subscription_create(
    *,
    actor: AnyUser,
    token: ApiToken | None,
    url: str,
    events: Sequence[str],
    description: str = "",
) -> tuple[Subscription, str]:
    """Subscribe the calling write token's endpoint `url` to `events`; returns the subscription
    and its signing secret, which is shown this once."""
    if token is None:
        raise PermissionDenied(_("Subscribe with the API token that will own the subscription."))
    if not permissions.can_subscribe(actor, token):
        raise PermissionDenied
    kinds = _clean_events(events)
    url = targets.check_url(url)
    # The token's row is the lock that keeps its count of subscriptions under the limit.
    ApiToken.objects.select_for_update().filter(pk=token.pk).first()
    limit = settings.WEBHOOK_MAX_SUBSCRIPTIONS_PER_TOKEN
    if Subscription.objects.filter(token=token).count() >= limit:
        raise ValidationError(
            _("A token has at most %(limit)d subscriptions: delete one first.") % {"limit": limit}
        )
    secret = new_secret()
    subscription = Subscription(
        token=token, url=url, events=kinds, description=description.strip(), secret=secret
    )
    subscription.full_clean()
    subscription.save()
    audit_record(
        actor=actor,
        action="webhooks.subscribe",
        target=subscription,
        after={"url": url, "events": kinds},
    )
    return subscription, secret


@transaction.atomic
def subscription_delete(*, actor: AnyUser, subscription: Subscription) -> None:
    if not permissions.can_manage(actor, subscription):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="webhooks.unsubscribe",
        target=subscription,
        before={"url": subscription.url, "events": subscription.events},
    )
    subscription.delete()


@transaction.atomic
def subscription_resume(*, actor: AnyUser, subscription: Subscription) -> Subscription:
    """Start sending to a paused subscription again: the deliveries it missed while paused
    get a fresh retry window, and are sent now."""
    if not permissions.can_manage(actor, subscription):
        raise PermissionDenied
    now = timezone.now()
    resumed = Subscription.objects.filter(
        pk=subscription.pk, status=Subscription.Status.PAUSED
    ).update(
        status=Subscription.Status.ACTIVE,
        failing_since=None,
        paused_at=None,
        pause_reason="",
        notice_taken_at=None,
        notice_sent_at=None,
        updated_at=now,
    )
    if resumed != 1:
        raise ValidationError(_("This subscription is not paused."))
    audit_record(actor=actor, action="webhooks.resume", target=subscription)

    def claim() -> list[int]:
        waiting = Delivery.objects.filter(subscription=subscription, settled_at__isnull=True)
        ids = list(waiting.order_by("pk").values_list("pk", flat=True))
        waiting.update(window_started_at=now, next_attempt_at=now, queued_at=now, updated_at=now)
        return ids

    delivery.dispatch(claim=claim, send=send_deliveries, batch=SEND_BATCH)
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def delivery_redeliver(*, actor: AnyUser, delivery_row: Delivery) -> Delivery:
    """Send this delivery again now, by hand, with a fresh retry window: a delivered one goes
    once more (same `webhook-id`, so the receiver can tell), a failed one is retried."""
    subscription = delivery_row.subscription
    if not permissions.can_manage(actor, subscription):
        raise PermissionDenied
    if subscription.status != Subscription.Status.ACTIVE:
        raise ValidationError(_("Resume the subscription first: it is paused."))
    now = timezone.now()
    reopened = (
        Delivery.objects.filter(pk=delivery_row.pk)
        .filter(Q(settled_at__isnull=False) | DELIVERIES.takeable(now))
        .update(
            status=Delivery.Status.PENDING,
            taken_at=None,
            settled_at=None,
            next_attempt_at=now,
            window_started_at=now,
            queued_at=now,
            redelivery_requested_at=now,
            updated_at=now,
        )
    )
    if reopened != 1:
        raise DeliveryBusy(_("This delivery is being attempted right now: try again shortly."))
    audit_record(
        actor=actor,
        action="webhooks.redeliver",
        target=delivery_row,
        before={"status": delivery_row.status},
    )
    outbox.enqueue(send_deliveries, [delivery_row.pk])
    delivery_row.refresh_from_db()
    return delivery_row


# From an event to its deliveries ---------------------------------------------------------------
def event_fan_out(*, event_id: int, now: datetime | None = None) -> int:
    """One delivery per usable subscription that wants the event and may read its subject (a
    public one, or one the subscription's token can read through the API), then the sends
    queued; returns how many deliveries were queued. Safe to run twice: one delivery per event
    and subscription, and only new ones are queued."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    try:
        kind = events.kind_named(event.kind)
    except LookupError:
        return 0  # its app is gone
    now = now or timezone.now()
    candidates = (
        Subscription.objects.filter(
            events.usable_subscriptions(now), created_at__lte=event.created_at
        )
        .select_related("token__user")
        .order_by("pk")
    )
    chosen = [
        subscription
        for subscription in candidates
        if event.kind in subscription.events
        and (event.public or kind.may_read(subscription.token.user, event.subject_id))
    ]

    def claim() -> list[int]:
        Delivery.objects.bulk_create(
            [
                Delivery(
                    event=event,
                    subscription=subscription,
                    next_attempt_at=now,
                    window_started_at=now,
                    created_at=now,
                )
                for subscription in chosen
            ],
            ignore_conflicts=True,
        )
        fresh = Delivery.objects.filter(event=event, queued_at__isnull=True).filter(
            DELIVERIES.free()
        )
        ids = list(fresh.order_by("pk").values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
        return ids

    return delivery.dispatch(claim=claim, send=send_deliveries, batch=SEND_BATCH)


def _sendable(now: datetime) -> Q:
    """Deliveries an attempt may be made for at `now`: due, of a usable subscription."""
    usable = Subscription.objects.filter(events.usable_subscriptions(now)).values("pk")
    return Q(next_attempt_at__lte=now, subscription__in=usable)


def deliveries_dispatch_due(*, now: datetime | None = None) -> int:
    """Beat, every 30 s: queue the attempts that are due (retries, and sends whose message was
    lost or whose worker died mid-attempt); returns how many were queued."""
    now = now or timezone.now()
    lost = now - delivery.STALE_AFTER

    def claim() -> list[int]:
        due = (
            Delivery.objects.filter(_sendable(now))
            .filter(DELIVERIES.takeable(now))
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lost))
        )
        ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True))
        ids = ids[:DISPATCH_LIMIT]
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
        return ids

    return delivery.dispatch(claim=claim, send=send_deliveries, batch=SEND_BATCH)


def deliveries_send(*, ids: Sequence[int], now: datetime | None = None) -> int:
    """Make one attempt for each of these deliveries that is due and not being attempted by
    someone else; returns how many were delivered. Call it outside a transaction: each claim
    commits before its request goes out, and each attempt is logged as soon as it is answered.

    Concurrency: one attempt at a time per delivery (the claim); a worker killed mid-attempt
    leaves its claim, which is taken again after DELIVERY_RECLAIM_SECONDS, so the event goes at
    least once, and a repeat carries the same `webhook-id`."""
    delivered = 0
    for pk in ids:
        at = now or timezone.now()
        if not delivery.take(DELIVERIES, where=Q(pk=pk) & _sendable(at), now=at):
            continue
        row = Delivery.objects.select_related("event", "subscription").filter(pk=pk).first()
        if row is None:
            continue  # its subscription was deleted meanwhile
        with delivery.releasing(DELIVERIES, [pk], taken_at=at):
            answer = _attempt(row, at)
            _record(row, answer, at)
        delivered += answer.ok
    return delivered


def body_of(event: Event) -> bytes:
    """What every delivery of the event carries, as bytes: the signature covers exactly these."""
    return json.dumps(event.envelope(), ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(
    subscription: Subscription, event: Event, body: bytes, at: datetime
) -> dict[str, str]:
    signature = Webhook(subscription.secret).sign(event.message_id, at, body.decode())
    return {
        "Content-Type": "application/json",
        "User-Agent": f"{USER_AGENT} (+{settings.SITE_URL})",
        "webhook-id": event.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def _attempt(row: Delivery, at: datetime) -> targets.Answer:
    body = body_of(row.event)
    headers = signed_headers(row.subscription, row.event, body, at)
    return targets.post(row.subscription.url, body=body, headers=headers)


def _next_attempt(row: Delivery, at: datetime) -> datetime | None:
    """When to try again after a failed attempt at `at`, or None once the window is over."""
    end = row.window_started_at + timedelta(hours=settings.WEBHOOK_RETRY_HOURS)
    if at >= end:
        return None
    failures = min(row.attempt_count + 1, 30)
    wait = timedelta(seconds=settings.WEBHOOK_RETRY_FIRST_SECONDS * 2 ** (failures - 1))
    return min(at + wait, end)


def _record(row: Delivery, answer: targets.Answer, at: datetime) -> None:
    with transaction.atomic():
        Attempt.objects.create(
            delivery=row,
            at=at,
            response_status=answer.status,
            response_excerpt=answer.excerpt,
            error=answer.error,
            duration_ms=answer.duration_ms,
            by_hand=row.redelivery_requested_at is not None,
        )
        done = {
            "attempt_count": F("attempt_count") + 1,
            "last_response_status": answer.status,
            "redelivery_requested_at": None,
            "queued_at": None,
            "updated_at": at,
        }
        rows = Delivery.objects.filter(pk=row.pk)
        if answer.ok:
            rows.update(status=Delivery.Status.DELIVERED, settled_at=at, delivered_at=at, **done)
            Subscription.objects.filter(pk=row.subscription_id, failing_since__isnull=False).update(
                failing_since=None, updated_at=at
            )
            return
        again = _next_attempt(row, at)
        if again is None:
            rows.update(status=Delivery.Status.FAILED, settled_at=at, **done)
        else:
            rows.update(next_attempt_at=again, taken_at=None, **done)
        _failing(row.subscription, at)


def _failing(subscription: Subscription, at: datetime) -> None:
    """After a failed attempt: the subscription is failing since now, if it was not already;
    failing for WEBHOOK_PAUSE_AFTER_DAYS, it is paused, and its owner told once."""
    Subscription.objects.filter(pk=subscription.pk, failing_since__isnull=True).update(
        failing_since=at, updated_at=at
    )
    days = settings.WEBHOOK_PAUSE_AFTER_DAYS
    with translation.override(settings.LANGUAGE_CODE):
        reason = ngettext(
            "Every attempt failed for %(days)d day.",
            "Every attempt failed for %(days)d days.",
            days,
        ) % {"days": days}
    # Conditional: of two failures racing, one pauses it and one email goes.
    paused = Subscription.objects.filter(
        pk=subscription.pk,
        status=Subscription.Status.ACTIVE,
        failing_since__lte=at - timedelta(days=days),
    ).update(
        status=Subscription.Status.PAUSED,
        paused_at=at,
        pause_reason=reason,
        notice_taken_at=None,
        notice_sent_at=None,
        updated_at=at,
    )
    if paused == 1:
        audit_record(
            actor=None,
            action="webhooks.pause",
            target=subscription,
            after={"reason": reason},
        )
        outbox.enqueue(send_pause_notices, [subscription.pk])


def events_prune(*, now: datetime | None = None) -> int:
    """Forget events older than WEBHOOK_RETENTION_DAYS, with their deliveries and attempts."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    deleted, _counts = Event.objects.filter(created_at__lt=cutoff).delete()
    return deleted
