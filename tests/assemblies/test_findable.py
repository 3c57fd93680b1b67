"""A public assembly shows everyone when it meets and what it decided, as a page and as a
schema.org `Event`; its agenda, minutes, attendance and meeting link stay with members. Each
decision has its own address."""

from __future__ import annotations

import json

import pytest

from assemblies.models import Assembly
from tests.assemblies.factories import AgendaItemFactory, AssemblyFactory, DecisionFactory, utc
from tests.linked_data import expand_checked, negotiated, page_document, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_assembly(facilitator, note_taker):
    assembly = AssemblyFactory(
        title="December assembly",
        start=utc(2026, 12, 3, 15, 0),
        duration_minutes=90,
        link="https://meet.example.coop/secret-room",
        facilitator=facilitator,
        note_taker=note_taker,
        visibility=Assembly.Visibility.PUBLIC,
    )
    AgendaItemFactory(assembly=assembly, title="Private agenda item", minutes="Secret minutes")
    DecisionFactory(
        assembly=assembly,
        text="We adopt the fund rules.",
        objections="Ana worries about the cap.",
    )
    return assembly


def test_a_public_assembly_is_an_online_event_with_offsets(client, public_assembly):
    url = public_assembly.get_absolute_url()
    response = negotiated(client, url)
    assert response.status_code == 200 and "Accept" in response["Vary"]
    top = expand_checked(
        response.json(),
        "Event",
        required=("name", "startDate", "endDate", "eventAttendanceMode", "location", "eventStatus"),
    )
    assert values(top, "startDate") == ["2026-12-03T15:00:00+00:00"]
    assert values(top, "endDate") == ["2026-12-03T16:30:00+00:00"]
    assert values(top, "eventAttendanceMode") == ["https://schema.org/OnlineEventAttendanceMode"]
    assert page_document(client.get(url)) == response.json()


def test_visitors_see_a_public_assembly_time_and_decisions_only(client, public_assembly):
    page = client.get(public_assembly.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "December assembly" in text and "We adopt the fund rules." in text
    for private in ("secret-room", "Private agenda item", "Secret minutes", "Ana worries", "Fede"):
        assert private not in text
    assert "secret-room" not in json.dumps(page_document(page))


def test_members_assembly_page_carries_the_event_too(login, member, public_assembly):
    page = login(member.user).get(public_assembly.get_absolute_url())
    assert "Private agenda item" in page.content.decode()
    assert page_document(page)["@type"] == "Event"


def test_a_members_only_assembly_stays_closed_to_visitors(client, login, member, assembly):
    response = client.get(assembly.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    reader = login(member.user)
    assert (
        '<script type="application/ld+json">'
        not in reader.get(assembly.get_absolute_url()).content.decode()
    )
    assert negotiated(reader, assembly.get_absolute_url()).status_code == 406


def test_a_decision_has_its_own_address_public_with_its_assembly(
    client, login, member, public_assembly, assembly
):
    public = public_assembly.decisions.get()
    page = client.get(public.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "We adopt the fund rules." in text and "Ana worries" not in text
    assert "Ana worries" in login(member.user).get(public.get_absolute_url()).content.decode()
    private = DecisionFactory(assembly=assembly)
    client.logout()
    assert client.get(private.get_absolute_url()).status_code == 302
    assert login(member.user).get(private.get_absolute_url()).status_code == 200


def test_a_public_decision_is_a_creative_work_recorded_at_its_assembly(
    client, login, member, public_assembly, assembly
):
    decision = public_assembly.decisions.get()
    response = negotiated(client, decision.get_absolute_url())
    assert response.status_code == 200
    top = expand_checked(
        response.json(), "CreativeWork", required=("name", "text", "recordedAt", "dateCreated")
    )
    assert values(top, "text") == ["We adopt the fund rules."]
    assert values(top, "creativeWorkStatus") == ["Adopted"]
    (event,) = values(top, "recordedAt")
    assert event["@id"].endswith(public_assembly.get_absolute_url())
    assert "Ana worries" not in json.dumps(response.json())  # objections stay with members
    assert page_document(client.get(decision.get_absolute_url())) == response.json()
    private = DecisionFactory(assembly=assembly)
    assert negotiated(login(member.user), private.get_absolute_url()).status_code == 406
