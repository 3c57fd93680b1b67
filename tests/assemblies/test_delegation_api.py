"""The API doors to delegated votes, minutes approval and rotation: the same services as the
pages, problem JSON on a refusal, and the shapes the schema documents."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from assemblies import services
from assemblies.models import VoteDelegation
from circles.models import CircleMembership
from circles.services import participation_refresh
from tests.api_helpers import assert_problem
from tests.assemblies.factories import AssemblyFactory, SeriesFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(coop, circle, facilitator, note_taker):
    made = [PersonFactory(organisation=coop, display_name=f"P{i}") for i in range(4)]
    for person in [*made, facilitator, note_taker]:
        CircleMembership.objects.get_or_create(circle=circle, person=person)
    participation_refresh()
    return made


def _as(person) -> APIClient:
    client = APIClient()
    client.force_login(person.user)
    return client


def test_a_member_delegates_and_revokes_through_the_api(assembly, people):
    api = _as(people[0])
    url = f"/api/v1/assemblies/{assembly.pk}/delegation/"

    given = api.post(url, {"delegate": {"id": people[1].pk}}, format="json")
    assert given.status_code == 201, given.content
    assert given.json()["delegate"] == {"id": people[1].pk, "display_name": "P1"}

    revoked = api.delete(url)
    assert revoked.status_code == 204
    assert not VoteDelegation.objects.filter(revoked_at__isnull=True).exists()


def test_a_chain_is_refused_as_problem_json(assembly, people):
    services.delegate_vote(actor=people[1].user, assembly=assembly, delegate=people[2])

    refused = _as(people[0]).post(
        f"/api/v1/assemblies/{assembly.pk}/delegation/",
        {"delegate": {"id": people[1].pk}},
        format="json",
    )

    assert_problem(refused, 400)
    assert "one step only" in str(refused.json())


def test_the_quorum_counts_delegations_in_the_api(assembly, people):
    services.rsvp_set(actor=people[0].user, assembly=assembly, answer="going")
    services.delegate_vote(actor=people[3].user, assembly=assembly, delegate=people[0])

    quorum = _as(people[1]).get(f"/api/v1/assemblies/{assembly.pk}/quorum/").json()

    assert (quorum["going"], quorum["delegated"], quorum["count"]) == (1, 1, 2)


def test_delegations_are_listed_in_full_to_the_facilitator_only(assembly, people, facilitator):
    services.delegate_vote(actor=people[3].user, assembly=assembly, delegate=people[0])
    url = f"/api/v1/assemblies/{assembly.pk}/delegations/"

    assert len(_as(facilitator).get(url).json()) == 1
    assert len(_as(people[0]).get(url).json()) == 1  # they carry it
    assert _as(people[1]).get(url).json() == []


def test_minutes_are_published_suggested_decided_and_approved_through_the_api(
    open_assembly, people, facilitator, note_taker
):
    assembly = open_assembly
    services.attendance_set(actor=facilitator.user, assembly=assembly, people=people[:1])
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="closed")
    base = f"/api/v1/assemblies/{assembly.pk}/minutes/"

    published = _as(note_taker).post(base, {"text": "We met."}, format="json")
    assert published.status_code == 201, published.content
    suggestion = _as(people[0]).post(
        "/api/v1/corrections/suggest/",
        {"assembly": assembly.pk, "original": "met", "text": "met online", "reason": "It was."},
        format="json",
    )
    assert suggestion.status_code == 201, suggestion.content
    assert suggestion.json()["status"] == "suggested"
    pk = suggestion.json()["id"]
    assert_problem(
        _as(people[0]).post(f"/api/v1/corrections/{pk}/decide/", {"accept": True}, format="json"),
        403,
    )
    decided = _as(facilitator).post(
        f"/api/v1/corrections/{pk}/decide/", {"accept": True}, format="json"
    )
    assert decided.json()["status"] == "accepted"
    approved = _as(facilitator).post(f"{base}approve/", format="json")
    assert approved.status_code == 200
    assert approved.json()["text"] == "We met online."
    assert approved.json()["approved_at"] is not None
    assert len(approved.json()["revisions"]) == 2

    again = _as(note_taker).post(base, {"text": "Rewritten."}, format="json")
    assert_problem(again, 409)


def test_the_rotation_is_suggested_and_confirmed_through_the_api(people, network_admin):
    series = SeriesFactory()
    for person in people[:2]:
        services.series_volunteer_set(actor=person.user, series=series, volunteering=True)
    upcoming = AssemblyFactory(series=series)
    admin = APIClient()
    admin.force_login(network_admin)
    url = f"/api/v1/assemblies/{upcoming.pk}/rotation/"

    found = admin.get(url).json()
    assert found["facilitator"]["id"] == people[0].pk
    assert found["note_taker"]["id"] == people[1].pk

    confirmed = admin.post(
        url,
        {"facilitator": {"id": people[1].pk}, "note_taker": {"id": people[0].pk}},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["facilitator"]["id"] == people[1].pk
    assert_problem(
        _as(people[0]).post(
            url,
            {"facilitator": {"id": people[0].pk}, "note_taker": {"id": people[1].pk}},
            format="json",
        ),
        403,
    )
