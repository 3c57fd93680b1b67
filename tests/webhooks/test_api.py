"""Subscribing through the API: bad input is problem JSON, the secret is shown once, and the lists
cost the same whatever their length."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from standardwebhooks import Webhook

from tests.api_helpers import assert_problem
from webhooks.models import Delivery, Event, Subscription
from webhooks.services import body_of, signed_headers

pytestmark = pytest.mark.django_db
SUBSCRIPTIONS = "/api/v1/webhooks/subscriptions/"


def _subscribe(partner, url, events=("organisation.updated",)):
    return partner.client().post(SUBSCRIPTIONS, {"url": url, "events": list(events)}, format="json")


# Here (as in the demo) webhooks go only to this machine.
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://hooks.partner.example/patio", "only to this machine"),
        ("http://10.1.2.3/hooks", "only to this machine"),
        ("ftp://127.0.0.1/hooks", "http:// or https://"),
        ("http://tool:secret@127.0.0.1/hooks", "no user name or password"),
        ("http://127.0.0.1:99999/hooks", "port"),
        ("127.0.0.1/hooks", "http:// or https://"),
    ],
)
def test_a_url_off_this_machine_or_malformed_is_a_problem_on_the_url_field(bot, url, why):
    body = assert_problem(_subscribe(bot, url), 400)
    assert why in " ".join(body["errors"]["url"])
    assert not Subscription.objects.exists()


# In production: https to public addresses only, so a partner cannot reach our own network.
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.216.34/hooks", "https://"),
        ("https://127.0.0.1/hooks", "not on the public internet"),
        ("https://localhost/hooks", "not on the public internet"),
        ("https://10.0.0.8/hooks", "not on the public internet"),
        ("https://192.168.1.20/hooks", "not on the public internet"),
        ("https://169.254.169.254/latest/meta-data", "not on the public internet"),
        ("https://100.64.0.1/hooks", "not on the public internet"),
        ("https://[::1]/hooks", "not on the public internet"),
        ("https://[::ffff:127.0.0.1]/hooks", "not on the public internet"),
        ("https://[fd00::1]/hooks", "not on the public internet"),
    ],
)
def test_in_production_only_https_to_a_public_address_is_taken(bot, url, why):
    with override_settings(WEBHOOK_TARGETS="public"):
        body = assert_problem(_subscribe(bot, url), 400)
    assert why in " ".join(body["errors"]["url"])
    assert not Subscription.objects.exists()


def test_in_production_a_public_https_address_is_taken(bot):
    with override_settings(WEBHOOK_TARGETS="public"):
        response = _subscribe(bot, "https://93.184.216.34/hooks")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("events", "field_error"),
    [
        (["organisation.exploded"], "Unknown event types"),
        ([], "at least one"),
    ],
)
def test_an_unknown_or_missing_event_type_is_a_problem(bot, events, field_error):
    body = assert_problem(_subscribe(bot, "http://127.0.0.1:9/", events), 400)
    assert "events" in body["errors"]


def test_a_field_the_api_does_not_take_is_refused(bot):
    response = bot.client().post(
        SUBSCRIPTIONS,
        {"url": "http://127.0.0.1:9/", "events": ["organisation.updated"], "secret": "whsec_x"},
        format="json",
    )
    assert "secret" in assert_problem(response, 400)["errors"]


def test_the_secret_is_shown_once_and_signs_what_is_sent(bot, coop):
    response = _subscribe(bot, "http://127.0.0.1:9/hooks")
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_") and created["status"] == "active"
    assert response["Location"].endswith(f"{SUBSCRIPTIONS}{created['id']}/")
    again = bot.client().get(f"{SUBSCRIPTIONS}{created['id']}/").json()
    listed = bot.client().get(SUBSCRIPTIONS).json()["results"]
    assert "secret" not in again and all("secret" not in row for row in listed)
    assert "secret" not in str(
        bot.client().get(f"{SUBSCRIPTIONS}{created['id']}/deliveries/").json()
    )

    # What a delivery carries verifies with that secret, and with no other.
    subscription = Subscription.objects.get()
    event = Event.objects.create(
        kind="organisation.updated",
        subject_type="members.organisation",
        subject_id=coop.pk,
        payload={"slug": coop.slug},
    )
    body = body_of(event)
    headers = signed_headers(subscription, event, body, timezone.now())
    assert Webhook(created["secret"]).verify(body, headers)["data"] == {"slug": coop.slug}
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(body, headers)


def test_a_token_has_at_most_so_many_subscriptions(bot):
    with override_settings(WEBHOOK_MAX_SUBSCRIPTIONS_PER_TOKEN=2):
        assert _subscribe(bot, "http://127.0.0.1:9/a").status_code == 201
        assert _subscribe(bot, "http://127.0.0.1:9/b").status_code == 201
        body = assert_problem(_subscribe(bot, "http://127.0.0.1:9/c"), 400)
    assert "at most 2" in str(body["errors"])
    assert Subscription.objects.count() == 2


def test_deleting_a_subscription_leaves_a_tombstone_its_owner_alone_sees(bot, member_partner):
    created = _subscribe(bot, "http://127.0.0.1:9/hooks").json()
    since = created["created_at"]

    assert bot.client().delete(f"{SUBSCRIPTIONS}{created['id']}/").status_code == 204

    changes = bot.client().get("/api/v1/changes/", {"since": since}).json()["results"]
    assert [(c["resource"], c["object_id"]) for c in changes] == [
        ("webhooks/subscriptions", str(created["id"]))
    ]
    others = member_partner.client().get("/api/v1/changes/", {"since": since}).json()["results"]
    assert others == []


def _deliveries(subscription, count):
    for _ in range(count):
        event = Event.objects.create(
            kind="organisation.updated",
            subject_type="members.organisation",
            subject_id=1,
            payload={},
        )
        delivery = Delivery.objects.create(event=event, subscription=subscription)
        for status in (500, 200):
            delivery.attempts.create(at=timezone.now(), response_status=status)


@pytest.mark.parametrize("count", [2, 20])
def test_the_lists_cost_the_same_whatever_their_length(bot, count, count_queries):
    for n in range(min(count, 10)):  # a token's most
        assert _subscribe(bot, f"http://127.0.0.1:9/{n}").status_code == 201
    subscription = Subscription.objects.order_by("id").first()
    _deliveries(subscription, count)
    client = bot.client()

    with count_queries() as listed:
        response = client.get(SUBSCRIPTIONS)
    assert len(response.json()["results"]) == min(count, 10)
    with count_queries() as recent:
        response = client.get(f"{SUBSCRIPTIONS}{subscription.pk}/deliveries/")
    assert len(response.json()) == count
    assert all(len(row["attempts"]) == 2 for row in response.json())

    # The token's lookup and its last use, the page; for the deliveries, their attempts too.
    assert listed.count <= 4, listed.report()
    assert recent.count <= 6, recent.report()
