"""Who may do what with policies: every role against every action, pages and API.

Members propose, comment and answer rounds (active members); the proposer steers their
amendment; the policy's owners (coordinators of its circle) and network admins adopt. Visitors
read public policies only. Cells: a status code, LOGIN (sent to the login page) or SAVED (the
page saved and redirected). Every refused write leaves the database as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policies import services
from policies.models import (
    Amendment,
    AmendmentComment,
    ConsentResponse,
    ConsentRound,
    PolicyVersion,
)
from tests.policies.conftest import make_active

pytestmark = pytest.mark.django_db

LOGIN, SAVED = "LOGIN", "SAVED"
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

CASES = [
    pytest.param(action, role, expected, id=f"{action} | {role} -> {expected}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def _snapshot() -> tuple:
    return (
        tuple(Amendment.objects.values_list("pk", "status", "revision", "text").order_by("pk")),
        AmendmentComment.objects.count(),
        tuple(ConsentResponse.objects.values_list("pk", "answer").order_by("pk")),
        PolicyVersion.objects.count(),
    )


@pytest.fixture
def cast(member, colleague, owner, network_admin, policy, public_policy):
    make_active(member, colleague)  # both answer consent rounds: active members, by the rule
    return {
        "visitor": None,
        "proposer": member.user,
        "member": colleague.user,
        "owner": owner.user,
        "network_admin": network_admin,
    }


def _setup(action: str, policy, member):
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


def _request(action, client, api_client, amendment, policy, public_policy):
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


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(
    action, role, expected, cast, client, api_client, policy, public_policy, member
):
    amendment = _setup(action, policy, member)
    user = cast[role]
    if user is not None:
        client.force_login(user)
        api_client.force_authenticate(user)
    before = _snapshot()

    response = _request(action, client, api_client, amendment, policy, public_policy)

    if expected == LOGIN:
        assert response.status_code == 302 and "/login" in response["Location"]
    elif expected == SAVED:
        assert response.status_code == 302, response.content[:500]
        assert "/login" not in response["Location"]
        assert _snapshot() != before
    else:
        assert response.status_code == expected, getattr(response, "content", b"")[:500]
        if action.startswith("api: ") and expected >= 400:
            assert response["Content-Type"].startswith("application/problem+json")
    if expected not in (SAVED, 200, 201):
        assert _snapshot() == before
