"""The webhook cast: a partner tool (a bot account, which reads what a visitor reads) and a
member's tokens, each able to subscribe through the API as a partner would."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import token_create
from tests.factories import UserFactory
from webhooks.models import Subscription

EVERY_EVENT = [
    "assembly.scheduled",
    "decision.recorded",
    "opportunity.closed",
    "opportunity.opened",
    "organisation.created",
    "organisation.left",
    "organisation.updated",
    "policy.version_adopted",
]


@dataclass
class Partner:
    user: User
    token: ApiToken
    bearer: str

    def client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.bearer}")
        return client

    def subscribe(self, url: str, events: list[str]) -> tuple[Subscription, str]:
        """Subscribe through the API, as the partner does; returns the row and its secret."""
        response = self.client().post(
            "/api/v1/webhooks/subscriptions/", {"url": url, "events": events}, format="json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        return Subscription.objects.get(pk=body["id"]), body["secret"]


def partner_for(user: User, name: str = "partner tool", *, made_by: User | None = None) -> Partner:
    token, bearer = token_create(
        actor=made_by or user, user=user, name=name, scope=ApiToken.Scope.WRITE
    )
    return Partner(user=user, token=token, bearer=bearer)


@pytest.fixture
def bot(network_admin) -> Partner:
    """A partner tool's bot account and its write token (a network admin makes a bot's): it
    reads what a visitor reads."""
    user = UserFactory(email="sync@partner.example", is_bot=True)
    return partner_for(user, made_by=network_admin)


@pytest.fixture
def member_partner(member) -> Partner:
    """A write token of a member of the network: it reads what members read."""
    return partner_for(member.user, "member's tool")
