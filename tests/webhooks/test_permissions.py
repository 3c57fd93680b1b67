"""Who may do what with webhook subscriptions, through the API: a token sees and acts on its own
subscriptions only, a read token may not subscribe, a visitor gets 401."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from tests import matrix
from tests.api_helpers import assert_problem
from tests.matrix import Cast, cases, outcome, writes_as_allowed
from tests.webhooks.conftest import partner_for
from webhooks.models import Delivery, Event, Subscription
from webhooks.services import new_secret

SHOWN, ABSENT = "SHOWN", "ABSENT"
ROLES = ("visitor", "owner", "network_admin", "other_token", "token_read", "token_write")

# owner: the person whose tokens these are, in a session. token_write owns the subscription;
# token_read is the same person's read token; other_token is another person's write token.
#                              visitor owner n-admin other  tok-r  tok-w
MATRIX = {
    "api: list": (401, SHOWN, SHOWN, ABSENT, ABSENT, SHOWN),
    "api: read": (401, 200, 200, 404, 404, 200),
    "api: recent deliveries": (401, 200, 200, 404, 404, 200),
    "api: read a delivery": (401, 200, 200, 404, 404, 200),
    "api: subscribe": (401, 403, 403, 201, 403, 201),
    "api: redeliver": (401, 200, 200, 404, 403, 200),
    "api: delete": (401, 204, 204, 404, 403, 204),
    "api: resume (not paused)": (401, 400, 400, 404, 403, 400),
}
READS = {"api: list", "api: read", "api: recent deliveries", "api: read a delivery"}
URL = "http://127.0.0.1:9/hooks"


@dataclass(kw_only=True)
class World(Cast):
    subscription: Subscription
    delivery: Delivery


@pytest.fixture
def world(member, outsider, network_admin) -> World:
    secrets = matrix.api_tokens(user=member.user)
    owning = ApiToken.objects.get(user=member.user, name="token_write")
    secrets["other_token"] = partner_for(outsider.user).bearer
    subscription = Subscription.objects.create(
        token=owning, url=URL, events=["organisation.updated"], secret=new_secret()
    )
    event = Event.objects.create(
        kind="organisation.updated", subject_type="members.organisation", subject_id=1, payload={}
    )
    now = timezone.now()
    delivery = Delivery.objects.create(
        event=event,
        subscription=subscription,
        status=Delivery.Status.DELIVERED,
        attempt_count=1,
        taken_at=now,
        settled_at=now,
        delivered_at=now,
        last_response_status=200,
    )
    return World(
        subscription=subscription,
        delivery=delivery,
        users={"owner": member.user, "network_admin": network_admin},
        secrets=secrets,
    )


def _snapshot():
    return (
        list(Subscription.objects.order_by("pk").values_list("pk", "status", "url")),
        list(Delivery.objects.order_by("pk").values_list("pk", "status", "settled_at")),
    )


def _run(action: str, world: World, api) -> matrix.Outcome:
    response = _call(action, world, api)
    if response.status_code >= 400:
        assert_problem(response, response.status_code)
    if action == "api: list" and response.status_code == 200:
        ids = [row["id"] for row in response.json()["results"]]
        return SHOWN if world.subscription.pk in ids else ABSENT
    return outcome(response)


def _call(action: str, world: World, api):
    base = "/api/v1/webhooks"
    one = f"{base}/subscriptions/{world.subscription.pk}/"
    match action:
        case "api: list":
            response = api.get(f"{base}/subscriptions/")
        case "api: read":
            response = api.get(one)
        case "api: recent deliveries":
            response = api.get(f"{one}deliveries/")
            if response.status_code == 200:
                assert [row["id"] for row in response.json()] == [world.delivery.pk]
        case "api: read a delivery":
            response = api.get(f"{base}/deliveries/{world.delivery.pk}/")
        case "api: subscribe":
            response = api.post(
                f"{base}/subscriptions/",
                {"url": URL, "events": ["opportunity.opened"]},
                format="json",
            )
            if response.status_code == 201:
                assert response.json()["secret"].startswith("whsec_")
        case "api: redeliver":
            response = api.post(f"{base}/deliveries/{world.delivery.pk}/redeliver/")
        case "api: delete":
            response = api.delete(one)
        case "api: resume (not paused)":
            response = api.post(f"{one}resume/")
        case _:
            raise AssertionError(action)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    _page, api = world.clients(role)
    with writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, api) == expected
