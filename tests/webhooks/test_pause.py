"""A receiver that fails for days: the retries end after a day, the subscription pauses after
three, its owner is emailed once, and resuming sends what it missed.

The clock is the services' `now` (what beat's tasks pass as the time), against a real receiver on
loopback that answers 500 to everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.services import organisation_update
from patio import delivery
from tests.conftest import queued
from tests.webhooks.receiver import receiving
from webhooks.emails import pause_notices_send
from webhooks.models import Attempt, Delivery, Event, Subscription
from webhooks.services import deliveries_dispatch_due, deliveries_send, event_fan_out
from webhooks.tasks import send_deliveries, send_pause_notices

pytestmark = pytest.mark.django_db


def _change(coop, network_admin, city: str) -> Event:
    organisation_update(actor=network_admin, organisation=coop, data={"city": city})
    return Event.objects.latest("id")


def _attempt(event: Event, *, at) -> int:
    event_fan_out(event_id=event.pk, now=at)
    ids = list(Delivery.objects.filter(event=event).values_list("pk", flat=True))
    return deliveries_send(ids=ids, now=at)


def test_retries_back_off_and_end_a_day_after_the_first_attempt(bot, coop, network_admin):
    with receiving(then=500) as receiver:
        bot.subscribe(receiver.url, ["organisation.updated"])
        start = timezone.now()
        event = _change(coop, network_admin, "Gabrovo")
        _attempt(event, at=start)
        row = Delivery.objects.get()
        waits = []
        clock = start
        while row.status == Delivery.Status.PENDING:
            waits.append(row.next_attempt_at - clock)
            clock = row.next_attempt_at
            deliveries_send(ids=[row.pk], now=clock)
            row.refresh_from_db()

    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert clock == start + timedelta(hours=24)  # the last attempt, at the end of the window
    assert row.status == Delivery.Status.FAILED
    assert row.attempt_count == len(waits) + 1 == len(receiver.received) == 13
    assert Attempt.objects.filter(delivery=row, response_status=500).count() == 13
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE  # a day is not three


def test_three_days_of_failures_pause_the_subscription_and_its_owner_is_emailed_once(
    bot, coop, network_admin
):
    with receiving(then=500) as receiver:
        subscription, _secret = bot.subscribe(receiver.url, ["organisation.updated"])
        start = timezone.now()
        _attempt(_change(coop, network_admin, "Shumen"), at=start)
        _attempt(_change(coop, network_admin, "Haskovo"), at=start + timedelta(days=2))
        assert Subscription.objects.get().status == Subscription.Status.ACTIVE

        later = start + timedelta(days=3, minutes=1)
        _attempt(_change(coop, network_admin, "Yambol"), at=later)

        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.PAUSED
        assert (subscription.failing_since, subscription.paused_at) == (start, later)
        assert queued(send_pause_notices) == [[[subscription.pk]]]
        # Paused: nothing is attempted, and new events are not fanned out to it.
        sent_before = len(receiver.received)
        assert deliveries_dispatch_due(now=later + timedelta(hours=1)) == 0
        _attempt(_change(coop, network_admin, "Kardzhali"), at=later + timedelta(hours=2))
        assert len(receiver.received) == sent_before

    # The notice goes once, however often it is asked for (a retried task, beat's requeue).
    assert pause_notices_send(ids=[subscription.pk]) == 1
    assert pause_notices_send(ids=[subscription.pk]) == 0
    assert delivery.requeue_unsent(now=later + timedelta(days=1)) == {}
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sync@partner.example"]
    assert "paused" in email.subject and "127.0.0.1" in email.subject
    assert receiver.url in email.body and "HTTP 500" in email.body
    assert f"/api/v1/webhooks/subscriptions/{subscription.pk}/resume/" in email.body
    assert email.extra_headers["Message-ID"].startswith("<webhooks.subscription.")


def test_resuming_sends_what_the_receiver_missed_while_paused(bot, coop, network_admin):
    with receiving(then=500) as receiver:
        subscription, _secret = bot.subscribe(receiver.url, ["organisation.updated"])
        start = timezone.now()
        _attempt(_change(coop, network_admin, "Sliven"), at=start)
        paused_at = start + timedelta(days=3, minutes=1)
        _attempt(_change(coop, network_admin, "Silistra"), at=paused_at)
        assert pause_notices_send(ids=[subscription.pk]) == 1
        missed = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
        receiver.then = 200

        response = bot.client().post(f"/api/v1/webhooks/subscriptions/{subscription.pk}/resume/")

        assert response.status_code == 200, response.content
        assert response.json()["status"] == "active" and response.json()["paused_at"] is None
        (ids,) = queued(send_deliveries)[-1:]
        assert deliveries_send(ids=ids[0]) == missed == 2
    assert Delivery.objects.filter(status=Delivery.Status.DELIVERED).count() == 2
    subscription.refresh_from_db()
    assert subscription.failing_since is None
    assert subscription.notice_sent_at is None  # the next pause is news again
    delivered = {d.event.message_id for d in Delivery.objects.select_related("event")}
    assert {r.headers["webhook-id"] for r in receiver.received[-2:]} == delivered
