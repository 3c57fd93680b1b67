"""The demo's partner tool: a bot account whose token subscribes to co-op changes, with a few
logged deliveries, so admins can see a subscription's status and its delivery log.

Nothing is ever sent. The target is the discard port of this machine, where nobody listens, and
the subscription is paused with its owner already told, as after three days of failures; its
log is written as rows, not by sending. The directory's demo seeds it (members.demo) once the
co-ops and the network admin exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import token_create
from webhooks import events
from webhooks.models import Attempt, Delivery, Event, Subscription
from webhooks.services import new_secret

DEMO_URL = "http://127.0.0.1:9/patio-demo"
BOT_EMAIL = "partner-tool@patio.example"
REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused"


def seed(
    *, admin: User, organisations: Sequence[models.Model], say: Callable[[str], None] = print
) -> None:
    if Subscription.objects.filter(url=DEMO_URL).exists() or len(organisations) < 3:
        return
    bot, _created = User.objects.get_or_create(email=BOT_EMAIL, defaults={"is_bot": True})
    token, _secret = token_create(
        actor=admin, user=bot, name="Demo partner tool", scope=ApiToken.Scope.WRITE
    )
    now = timezone.now()
    failing_since = now - timedelta(days=3, hours=2)
    subscription = Subscription.objects.create(
        token=token,
        url=DEMO_URL,
        description="The demo's partner tool (nothing listens there: it is paused)",
        events=["organisation.updated", "opportunity.opened"],
        secret=new_secret(),
        status=Subscription.Status.PAUSED,
        failing_since=failing_since,
        paused_at=now - timedelta(hours=1),
        pause_reason="Every attempt failed for 3 days.",
        notice_taken_at=now - timedelta(hours=1),
        notice_sent_at=now - timedelta(hours=1),
        created_at=now - timedelta(days=5),
    )
    kind = events.kind_named("organisation.updated")
    logs: list[tuple[datetime, str, list[tuple[int | None, str]]]] = [
        (now - timedelta(days=4), Delivery.Status.DELIVERED, [(200, "")]),
        (failing_since, Delivery.Status.FAILED, [(503, ""), (503, ""), (None, REFUSED)]),
        (now - timedelta(hours=2), Delivery.Status.PENDING, [(None, REFUSED), (None, REFUSED)]),
    ]
    for organisation, (at, status, attempts) in zip(organisations, logs, strict=False):
        event = Event.objects.create(
            kind=kind.key,
            subject_type=organisation._meta.label_lower,
            subject_id=organisation.pk,
            public=True,
            payload=kind.represent(organisation),
            created_at=at,
        )
        tried = [at + timedelta(minutes=2**n - 1) for n in range(len(attempts))]
        delivery = Delivery.objects.create(
            event=event,
            subscription=subscription,
            status=status,
            attempt_count=len(attempts),
            window_started_at=at,
            next_attempt_at=tried[-1] + timedelta(minutes=4),
            taken_at=tried[-1] if status != Delivery.Status.PENDING else None,
            settled_at=tried[-1] if status != Delivery.Status.PENDING else None,
            delivered_at=tried[-1] if status == Delivery.Status.DELIVERED else None,
            last_response_status=attempts[-1][0],
            created_at=at,
        )
        Attempt.objects.bulk_create(
            Attempt(
                delivery=delivery,
                at=moment,
                response_status=code,
                response_excerpt="" if code is None else ("OK" if code < 300 else "Unavailable"),
                error=error,
                duration_ms=3 if code is None else 41,
            )
            for moment, (code, error) in zip(tried, attempts, strict=True)
        )
    say(f"Webhooks: a paused demo subscription to {DEMO_URL}, with 3 logged deliveries.")
