"""The directory's list endpoints read rows without DRF's per-field overhead
(`patio.api.FastReadMixin`): a caller gets exactly the JSON DRF's own serializer gives, for
visitors and members, with empty values and every kind of field."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework import serializers

from members.models import PersonLanguage
from patio.api import FastReadMixin
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(coop):
    federation = OrganisationFactory(slug="fed", name="Federation", kind="federation")
    software, education = SectorFactory(name="Software"), SectorFactory(name="Education")
    english, spanish = (
        LanguageFactory(code="en", name="English"),
        LanguageFactory(code="es", name="Spanish"),
    )
    coop.sectors.set([software, education])
    coop.languages.set([english, spanish])
    coop.federations.set([federation])
    coop.services = "Design\nHosting"
    coop.save()
    # Every optional value empty: no founding year, size, joining date, city or website.
    OrganisationFactory(
        slug="bare", name="Bare Co-op", founded=None, size=None, joined_on=None, city=""
    )
    person = PersonFactory(
        organisation=coop,
        display_name="Rosa Full",
        profile_visibility="public",
        phone="+359 2 123",
        website="https://rosa.example",
        available_from=dt.date(2027, 1, 4),
    )
    PersonSkillFactory(person=person, skill=SkillFactory(name="Django"), level=3, years=4)
    PersonSkillFactory(person=person, skill=SkillFactory(name="Figma"), level=1)
    PersonLanguageFactory(
        person=person, language=english, proficiency=PersonLanguage.Proficiency.FLUENT
    )
    PersonFactory(organisation=coop, display_name="Bo Bare", profile_visibility="public", user=None)
    return coop


def _lists(api_client) -> dict[str, list]:
    return {
        path: api_client.get(path, {"page_size": 50}).json()["results"]
        for path in ("/api/v1/organisations/", "/api/v1/people/")
    }


@pytest.mark.parametrize("as_member", [False, True], ids=["visitor", "member"])
def test_the_lists_give_exactly_drfs_json(network, member, api_client, monkeypatch, as_member):
    if as_member:
        api_client.force_authenticate(member.user)
    fast = _lists(api_client)
    assert all(len(rows) >= 2 for rows in fast.values())
    # The reference: DRF's own Serializer.to_representation for every row and nested row.
    monkeypatch.setattr(
        FastReadMixin,
        "to_representation",
        lambda self, instance: serializers.Serializer.to_representation(self, instance),
    )
    assert _lists(api_client) == fast


def test_empty_values_stay_null(network, api_client):
    bare = next(
        item
        for item in api_client.get("/api/v1/organisations/", {"page_size": 50}).json()["results"]
        if item["slug"] == "bare"
    )
    assert (bare["founded"], bare["size"], bare["joined_on"], bare["city"]) == (
        None,
        None,
        None,
        "",
    )
