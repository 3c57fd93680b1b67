"""The API: /api/v1/policies/ with versions nested, /api/v1/amendments/ and the respond action.
Problem JSON for bad input; lists in a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policies import services
from policies.models import Amendment, ConsentResponse
from tests.policies.factories import AmendmentFactory, PolicyFactory, PolicyVersionFactory

pytestmark = pytest.mark.django_db


def test_policies_come_with_their_versions_newest_first(api_client, public_policy):
    PolicyVersionFactory(policy=public_policy, number=2, text="Kinder.")
    body = api_client.get(reverse("api:policy-detail", args=[public_policy.slug])).json()
    assert body["current_version"] == 2
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][1]["founding"] is True


def test_visitors_list_only_public_policies(api_client, policy, public_policy):
    slugs = [p["slug"] for p in api_client.get(reverse("api:policy-list")).json()["results"]]
    assert slugs == [public_policy.slug]


def test_an_objection_without_reason_is_refused_with_problem_json(api_client, in_round, colleague):
    api_client.force_authenticate(colleague.user)
    response = api_client.post(
        reverse("api:amendment-respond", args=[in_round.pk]),
        {"answer": "objection"},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "reason" in response.json()["errors"]
    assert not ConsentResponse.objects.exists()


def test_answering_again_replaces_the_answer(api_client, in_round, colleague):
    api_client.force_authenticate(colleague.user)
    url = reverse("api:amendment-respond", args=[in_round.pk])
    api_client.post(url, {"answer": "concern", "reason": "Hmm"}, format="json")
    body = api_client.post(url, {"answer": "consent"}, format="json").json()
    assert body["answer"] == "consent"
    assert ConsentResponse.objects.get().answer == "consent"


def test_answering_a_draft_is_refused(api_client, amendment, colleague):
    api_client.force_authenticate(colleague.user)
    response = api_client.post(
        reverse("api:amendment-respond", args=[amendment.pk]),
        {"answer": "consent"},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_unknown_fields_are_refused_when_proposing(api_client, member, policy):
    api_client.force_authenticate(member.user)
    response = api_client.post(
        reverse("api:amendment-list"),
        {"policy": policy.slug, "title": "t", "text": "x", "rationale": "r", "status": "adopted"},
        format="json",
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]
    assert not Amendment.objects.exists()


def test_a_forbidden_transition_is_problem_json(api_client, amendment, member):
    api_client.force_authenticate(member.user)
    response = api_client.post(
        reverse("api:amendment-move", args=[amendment.pk]), {"status": "consent"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_the_proposer_moves_the_amendment_to_a_consent_round(api_client, amendment, member):
    api_client.force_authenticate(member.user)
    url = reverse("api:amendment-move", args=[amendment.pk])
    api_client.post(url, {"status": "feedback"}, format="json")
    body = api_client.post(url, {"status": "consent"}, format="json").json()
    assert body["status"] == "consent" and body["round"]["number"] == 1


@pytest.mark.parametrize("size", [2, 14])
def test_the_policy_list_runs_a_constant_number_of_queries(
    api_client, size, django_assert_max_num_queries
):
    for n in range(size):
        policy = PolicyFactory(visibility="public")
        PolicyVersionFactory(policy=policy, number=1)
        PolicyVersionFactory(policy=policy, number=2, text=f"v{n}")
    with django_assert_max_num_queries(4):
        assert api_client.get(reverse("api:policy-list")).status_code == 200


@pytest.mark.parametrize("size", [2, 14])
def test_the_amendment_list_runs_a_constant_number_of_queries(
    api_client, member, policy, size, django_assert_max_num_queries
):
    for _ in range(size):
        amendment = AmendmentFactory(policy=policy, proposer=member)
        services.amendment_move(actor=member.user, amendment=amendment, status="feedback")
        services.amendment_move(actor=member.user, amendment=amendment, status="consent")
    api_client.force_authenticate(member.user)
    with django_assert_max_num_queries(5):
        assert api_client.get(reverse("api:amendment-list")).status_code == 200


def test_the_schema_documents_every_policies_endpoint(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()

    for path in (
        "/api/v1/policies/",
        "/api/v1/policies/{slug}/",
        "/api/v1/amendments/",
        "/api/v1/amendments/{id}/",
        "/api/v1/amendments/{id}/respond/",
        "/api/v1/amendments/{id}/move/",
    ):
        assert path in schema["paths"], path
