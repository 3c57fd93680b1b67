"""Public policies are schema.org `CreativeWork`s with their versions; each adopted version has
an address of its own; a policy's changed slug answers 301, for its versions too."""

from __future__ import annotations

import datetime

import pytest

from policies.models import Policy
from tests.linked_data import expand_checked, negotiated, page_document, values
from tests.policies.factories import PolicyVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned(public_policy):
    PolicyVersionFactory(
        policy=public_policy,
        number=2,
        text="Feedback is kind, specific and **timely**.",
        summary="Timely",
        effective_date=datetime.date(2026, 11, 1),
    )
    return public_policy


def test_a_public_policy_is_a_creative_work_with_its_versions(client, versioned):
    response = negotiated(client, "/policies/feedback/")
    assert response.status_code == 200
    assert page_document(client.get("/policies/feedback/")) == response.json()
    top = expand_checked(
        response.json(), "CreativeWork", required=("name", "version", "hasPart", "workExample")
    )
    assert values(top, "version") == [2]
    parts = values(top, "hasPart")
    assert sorted(values(part, "version")[0] for part in parts) == [1, 2]
    assert {part["@id"].removeprefix("http://127.0.0.1:8000") for part in parts} >= {
        "/policies/feedback/versions/1/",
        "/policies/feedback/versions/2/",
    }


def test_each_version_has_its_own_page_and_document(client, versioned):
    page = client.get("/policies/feedback/versions/1/")
    assert page.status_code == 200
    assert "Feedback is kind and specific." in page.content.decode()
    top = expand_checked(
        page_document(page), "CreativeWork", required=("version", "isPartOf", "text")
    )
    assert values(top, "version") == [1]
    assert client.get("/policies/feedback/versions/9/").status_code == 404


def test_a_members_only_policy_and_its_versions_stay_with_members(client, login, member, policy):
    assert client.get("/policies/decision-making/versions/1/").status_code == 404
    reader = login(member.user)
    assert reader.get("/policies/decision-making/versions/1/").status_code == 200
    assert negotiated(reader, "/policies/decision-making/").status_code == 406


def test_a_policy_with_a_new_slug_answers_at_its_old_addresses(client, versioned):
    policy = Policy.objects.get(pk=versioned.pk)
    policy.slug = "feedback-guidelines"
    policy.save()
    for old, new in [
        ("/policies/feedback/", "/policies/feedback-guidelines/"),
        ("/policies/feedback/versions/2/", "/policies/feedback-guidelines/versions/2/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
