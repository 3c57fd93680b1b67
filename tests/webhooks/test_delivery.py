"""From a change to a partner's receiver, with the real worker, the real broker and a real HTTP
receiver on loopback: signed as Standard Webhooks says, retried until it lands, never sent for a
change that rolled back, and redelivered by hand."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django.test import override_settings
from standardwebhooks import Webhook

from members.services import organisation_update
from patio.models import OutboxMessage
from tests.webhooks.receiver import receiving
from tests.worker_fixtures import wait_until
from webhooks.models import Attempt, Delivery, Event
from webhooks.services import deliveries_dispatch_due

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _verified(secret: str, received) -> dict:
    return Webhook(secret).verify(received.body, received.headers)


def test_a_partner_gets_a_signed_webhook_carrying_the_coop_as_the_api_gives_it(
    celery_worker, bot, coop, network_admin
):
    with receiving() as receiver:
        _subscription, secret = bot.subscribe(receiver.url, ["organisation.updated"])

        organisation_update(actor=network_admin, organisation=coop, data={"city": "Plovdiv"})

        wait_until(lambda: len(receiver.received) == 1)
    got = receiver.received[0]
    body = _verified(secret, got)  # raises unless the signature and timestamp are right
    assert got.headers["webhook-id"] == f"msg_{Event.objects.get().pk}"
    assert got.headers["Content-Type"] == "application/json"
    assert body["type"] == "organisation.updated"
    api = bot.client().get(f"/api/v1/organisations/{coop.slug}/").json()
    assert body["data"]["city"] == "Plovdiv"
    # The REST API's representation; only the link is written on the site's address.
    assert {k: v for k, v in body["data"].items() if k != "url"} == {
        k: v for k, v in api.items() if k != "url"
    }
    assert body["data"]["url"].endswith(f"/coops/{coop.slug}/")
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_failing_receiver_is_tried_again_until_it_answers_and_gets_the_event_once(
    celery_worker, bot, coop, network_admin
):
    with (
        override_settings(WEBHOOK_RETRY_FIRST_SECONDS=1),
        receiving(500, then=200) as receiver,
    ):
        _subscription, secret = bot.subscribe(receiver.url, ["organisation.updated"])
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Varna"})
        wait_until(lambda: len(receiver.received) == 1)
        # The worker records the answer after the receiver has it.
        wait_until(lambda: Delivery.objects.filter(last_response_status__isnull=False).exists())
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.PENDING
        assert delivery.last_response_status == 500

        def delivered() -> bool:
            deliveries_dispatch_due()  # what beat does every 30 s
            return Delivery.objects.get().status == Delivery.Status.DELIVERED

        wait_until(delivered)
        # Beat keeps looking: a delivered event is not sent again.
        for _ in range(3):
            deliveries_dispatch_due()
            time.sleep(0.5)

    assert [r.headers["webhook-id"] for r in receiver.received] == [f"msg_{delivery.event_id}"] * 2
    for received in receiver.received:
        _verified(secret, received)
    attempts = Attempt.objects.filter(delivery=delivery).order_by("at", "id")
    assert [a.response_status for a in attempts] == [500, 200]
    assert "Internal error" in attempts[0].response_excerpt
    assert all(a.duration_ms >= 0 and not a.by_hand for a in attempts)
    delivery.refresh_from_db()
    assert (delivery.attempt_count, delivery.last_response_status) == (2, 200)


def test_a_change_that_rolls_back_sends_nothing(celery_worker, bot, coop, network_admin):
    with receiving() as receiver:
        bot.subscribe(receiver.url, ["organisation.updated"])

        with pytest.raises(RuntimeError), transaction.atomic():
            organisation_update(actor=network_admin, organisation=coop, data={"city": "Ruse"})
            assert Event.objects.count() == 1  # written with the change, inside its transaction
            raise RuntimeError("the rest of the write failed")

        assert Event.objects.count() == 0
        assert not OutboxMessage.objects.filter(task="webhooks.tasks.fan_out").exists()
        deliveries_dispatch_due()
        time.sleep(1)
        assert receiver.received == []

        # The same pipeline, committed this time, delivers: only what was saved is told.
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Burgas"})
        wait_until(lambda: len(receiver.received) == 1)
    assert b'"city":"Burgas"' in receiver.received[0].body


def test_an_owner_redelivers_by_hand_with_the_same_webhook_id(
    celery_worker, bot, coop, network_admin
):
    with receiving() as receiver:
        _subscription, secret = bot.subscribe(receiver.url, ["organisation.updated"])
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Pleven"})
        wait_until(lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists())
        delivery = Delivery.objects.get()

        response = bot.client().post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")

        assert response.status_code == 200, response.content
        wait_until(lambda: len(receiver.received) == 2)
        wait_until(lambda: Attempt.objects.filter(delivery=delivery).count() == 2)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert _verified(secret, second)["data"]["city"] == "Pleven"
    attempts = list(Attempt.objects.filter(delivery=delivery).order_by("at", "id"))
    assert [(a.response_status, a.by_hand) for a in attempts] == [(200, False), (200, True)]
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
