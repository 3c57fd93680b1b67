"""The assemblies API: same rules as the pages, problem JSON for bad input, constant queries."""

from __future__ import annotations

import pytest

from assemblies.models import ActionItem, AgendaItem, Decision, Rsvp
from tests.api_helpers import assert_problem
from tests.assemblies.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AssemblyFactory,
    CircleUpdateFactory,
    DecisionFactory,
)

pytestmark = pytest.mark.django_db


def test_rsvp_is_an_action_on_the_assembly(api_client, member, assembly):
    api_client.force_authenticate(member.user)

    response = api_client.post(f"/api/v1/assemblies/{assembly.pk}/rsvp/", {"answer": "not_going"})

    assert response.status_code == 200
    assert Rsvp.objects.get(person=member).answer == "not_going"


def test_an_unknown_answer_is_a_problem_and_changes_nothing(api_client, member, assembly):
    api_client.force_authenticate(member.user)

    response = api_client.post(f"/api/v1/assemblies/{assembly.pk}/rsvp/", {"answer": "perhaps"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "answer" in response.json()["errors"]
    assert not Rsvp.objects.exists()


def test_unknown_fields_are_refused(api_client, member, assembly):
    api_client.force_authenticate(member.user)

    response = api_client.post(
        "/api/v1/agenda-items/",
        {"assembly": assembly.pk, "kind": "discussion", "title": "X", "proposer": 1},
    )

    assert response.status_code == 400
    assert "proposer" in response.json()["errors"]
    assert not AgendaItem.objects.exists()


def test_a_vote_without_a_tally_is_a_problem(api_client, facilitator, open_assembly):
    api_client.force_authenticate(facilitator.user)

    response = api_client.post(
        "/api/v1/decisions/",
        {
            "assembly": open_assembly.pk,
            "text": "Logo",
            "method": "vote",
            "outcome": "adopted",
            "without_quorum": True,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "votes_for" in response.json()["errors"]
    assert not Decision.objects.exists()


def test_the_owner_may_only_change_the_status_of_their_action(api_client, member, assembly):
    action = ActionItemFactory(assembly=assembly, owner=member)
    api_client.force_authenticate(member.user)

    done = api_client.patch(f"/api/v1/action-items/{action.pk}/", {"status": "done"})
    reassigned = api_client.patch(f"/api/v1/action-items/{action.pk}/", {"description": "Less"})

    assert done.status_code == 200 and done.json()["status"] == "done"
    assert reassigned.status_code == 403
    assert ActionItem.objects.get(pk=action.pk).description == action.description


def test_decisions_are_searchable(api_client, member):
    DecisionFactory(text="We adopt the solidarity fund rules.")
    DecisionFactory(text="Something else.")
    api_client.force_authenticate(member.user)

    response = api_client.get("/api/v1/decisions/", {"q": "solidarity"})

    assert [d["text"] for d in response.json()["results"]] == [
        "We adopt the solidarity fund rules."
    ]


def test_a_move_through_the_api_re_dates_the_assembly(api_client, network_admin, assembly):
    api_client.force_authenticate(network_admin)

    response = api_client.patch(
        f"/api/v1/assemblies/{assembly.pk}/", {"start": "2030-01-03T15:00:00Z"}
    )

    assert response.status_code == 200
    assert response.json()["start"] == "2030-01-03T15:00:00Z"


def _fill(size: int, member) -> None:
    for _ in range(size):
        assembly = AssemblyFactory(facilitator=member, note_taker=member)
        AgendaItemFactory(assembly=assembly, proposer=member)
        CircleUpdateFactory(assembly=assembly, author=member)
        DecisionFactory(assembly=assembly)
        ActionItemFactory(assembly=assembly, owner=member)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assemblies/",
        "/api/v1/agenda-items/",
        "/api/v1/circle-updates/",
        "/api/v1/decisions/",
        "/api/v1/action-items/",
    ],
)
@pytest.mark.parametrize("size", [2, 20])
def test_every_list_runs_a_constant_number_of_queries(
    api_client, member, url, size, django_assert_max_num_queries
):
    _fill(size, member)
    api_client.force_authenticate(member.user)

    with django_assert_max_num_queries(6):
        response = api_client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == size


def test_the_schema_documents_every_assemblies_endpoint(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()

    for path in (
        "/api/v1/assemblies/",
        "/api/v1/assemblies/{id}/rsvp/",
        "/api/v1/agenda-items/",
        "/api/v1/circle-updates/",
        "/api/v1/decisions/",
        "/api/v1/action-items/",
    ):
        assert path in schema["paths"], path


def test_a_facilitator_is_written_back_the_way_it_was_read(api_client, network_admin, assembly):
    """What a partner reads (`{"id": 12, "display_name": …}`) names the person by the key it
    writes (`{"id": 12}`): swapping the facilitator and the note-taker is a read and a write."""
    api_client.force_authenticate(network_admin)
    read = api_client.get(f"/api/v1/assemblies/{assembly.pk}/").json()

    response = api_client.patch(
        f"/api/v1/assemblies/{assembly.pk}/",
        {
            "facilitator": {"id": read["note_taker"]["id"]},
            "note_taker": {"id": read["facilitator"]["id"]},
        },
    )

    assert response.status_code == 200, response.json()
    assert response.json()["facilitator"] == read["note_taker"]
    assert response.json()["note_taker"] == read["facilitator"]
    assembly.refresh_from_db()
    assert assembly.facilitator_id == read["note_taker"]["id"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        pytest.param(12, "Send an object.", id="a bare id"),
        pytest.param({"id": 999999}, "No person has this id.", id="nobody"),
        pytest.param({"id": 1, "display_name": "X"}, "unknown or read-only", id="a read-only key"),
        pytest.param({"slug": "x"}, "unknown or read-only", id="the wrong key"),
    ],
)
def test_a_person_written_another_way_is_a_problem_that_changes_nothing(
    api_client, network_admin, assembly, written, message
):
    api_client.force_authenticate(network_admin)
    before = assembly.facilitator_id

    response = api_client.patch(
        f"/api/v1/assemblies/{assembly.pk}/", {"facilitator": written}, format="json"
    )

    problem = assert_problem(response, 400)
    assert message in str(problem["errors"]["facilitator"])
    assembly.refresh_from_db()
    assert assembly.facilitator_id == before
