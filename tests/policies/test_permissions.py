"""Who may do what with policies: every role against every action, pages and API.

Members propose, comment and answer rounds (active members); the proposer steers their
amendment; the policy's owners (coordinators of its circle) and network admins adopt. Visitors
read public policies only. Cells: a status code, LOGIN (sent to the login page) or SAVED (the
page saved and redirected). Every refused write leaves the database as it was."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Person
from policies import services
from policies.models import (
    Amendment,
    AmendmentComment,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyVersion,
)
from tests import matrix
from tests.matrix import LOGIN, SAVED
from tests.policies.conftest import make_active

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "proposer", "member", "owner", "network_admin")

#                                   visitor proposer member  owner   n-admin
MATRIX = {
    "page: index": (200, 200, 200, 200, 200),
    "page: public policy": (200, 200, 200, 200, 200),
    "page: members-only policy": (404, 200, 200, 200, 200),
    "page: amendment": (LOGIN, 200, 200, 200, 200),
    "page: waiting for me": (LOGIN, 200, 200, 200, 200),
    "page: propose an amendment": (LOGIN, SAVED, SAVED, SAVED, 403),
    "page: open for feedback": (LOGIN, SAVED, 403, 403, SAVED),
    "page: comment": (LOGIN, SAVED, SAVED, SAVED, 403),
    "page: revise": (LOGIN, SAVED, 403, 403, SAVED),
    "page: answer the round": (LOGIN, SAVED, SAVED, SAVED, 403),
    "page: adopt": (LOGIN, 403, 403, SAVED, SAVED),
    "api: list policies": (200, 200, 200, 200, 200),
    "api: members-only policy": (404, 200, 200, 200, 200),
    "api: list amendments": (401, 200, 200, 200, 200),
    "api: propose": (401, 201, 201, 201, 403),
    "api: open for feedback": (401, 200, 403, 403, 200),
    "api: answer the round": (401, 200, 200, 200, 403),
    "api: adopt": (401, 403, 403, 200, 200),
}

READS = {
    "page: index",
    "page: public policy",
    "page: members-only policy",
    "page: amendment",
    "page: waiting for me",
    "api: list policies",
    "api: members-only policy",
    "api: list amendments",
}
# A comment and an answer to a round are a person's own words, kept with their name on the row:
# services do not audit them.
NOT_AUDITED = {"page: comment", "page: answer the round", "api: answer the round"}


def _snapshot() -> tuple:
    return (
        tuple(Amendment.objects.values_list("pk", "status", "revision", "text").order_by("pk")),
        AmendmentComment.objects.count(),
        tuple(ConsentResponse.objects.values_list("pk", "answer").order_by("pk")),
        PolicyVersion.objects.count(),
    )


@dataclass(kw_only=True)
class World(matrix.Cast):
    policy: Policy
    public_policy: Policy
    proposer: Person


@pytest.fixture
def world(member, colleague, owner, network_admin, policy, public_policy) -> World:
    make_active(member, colleague)  # both answer consent rounds: active members, by the rule
    return World(
        policy=policy,
        public_policy=public_policy,
        proposer=member,
        users={
            "proposer": member.user,
            "member": colleague.user,
            "owner": owner.user,
            "network_admin": network_admin,
        },
    )


def _setup(action: str, policy: Policy, member: Person) -> Amendment:
    """The amendment in the state the action needs."""
    amendment = services.amendment_propose(
        actor=member.user,
        policy=policy,
        title="Ten days",
        text="We decide in ten days.",
        rationale="Holidays.",
    )
    if action.endswith(("comment", "revise", "answer the round", "adopt")):
        services.amendment_move(actor=member.user, amendment=amendment, status="feedback")
    if action.endswith(("answer the round", "adopt")):
        services.amendment_move(actor=member.user, amendment=amendment, status="consent")
    if action.endswith("adopt"):
        services.rounds_close_due(now=ConsentRound.objects.get(amendment=amendment).closes_at)
    return amendment


def _request(
    action: str,
    client: Client,
    api_client: APIClient,
    amendment: Amendment,
    policy: Policy,
    public_policy: Policy,
) -> HttpResponse:
    pk = amendment.pk
    api_post = {
        "api: propose": (
            reverse("api:amendment-list"),
            {"policy": policy.slug, "title": "t", "text": "x", "rationale": "r"},
        ),
        "api: open for feedback": (
            reverse("api:amendment-move", args=[pk]),
            {"status": "feedback"},
        ),
        "api: answer the round": (
            reverse("api:amendment-respond", args=[pk]),
            {"answer": "consent"},
        ),
        "api: adopt": (reverse("api:amendment-move", args=[pk]), {"status": "adopted"}),
    }
    api_get = {
        "api: list policies": reverse("api:policy-list"),
        "api: members-only policy": reverse("api:policy-detail", args=[policy.slug]),
        "api: list amendments": reverse("api:amendment-list"),
    }
    pages_get = {
        "page: index": reverse("policies:index"),
        "page: public policy": reverse("policies:policy", args=[public_policy.slug]),
        "page: members-only policy": reverse("policies:policy", args=[policy.slug]),
        "page: amendment": reverse("policies:amendment", args=[pk]),
        "page: waiting for me": reverse("policies:waiting"),
    }
    move = reverse("policies:amendment_move", args=[pk])
    pages_post = {
        "page: propose an amendment": (
            reverse("policies:amend", args=[policy.slug]),
            {"title": "t", "text": "x", "rationale": "r"},
        ),
        "page: open for feedback": (move, {"status": "feedback"}),
        "page: comment": (reverse("policies:amendment_comment", args=[pk]), {"body": "Good."}),
        "page: revise": (
            reverse("policies:amendment_revise", args=[pk]),
            {"text": "We decide in twelve days.", "rationale": ""},
        ),
        "page: answer the round": (
            reverse("policies:amendment_respond", args=[pk]),
            {"answer": "consent", "reason": ""},
        ),
        "page: adopt": (move, {"status": "adopted"}),
    }
    if action in api_post:
        url, data = api_post[action]
        return api_client.post(url, data, format="json")
    if action in api_get:
        return api_client.get(api_get[action])
    if action in pages_get:
        return client.get(pages_get[action])
    url, data = pages_post[action]
    return client.post(url, data)


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    amendment = _setup(action, world.policy, world.proposer)
    page, api = world.clients(role)
    with matrix.writes_as_allowed(
        action, expected, _snapshot, reads=READS, not_audited=NOT_AUDITED
    ):
        response = _request(action, page, api, amendment, world.policy, world.public_policy)
        assert matrix.outcome(response) == expected, response.content[:500]
        if action.startswith("api: ") and isinstance(expected, int) and expected >= 400:
            assert response["Content-Type"].startswith("application/problem+json")
