"""A choice's label in the API (a skill's `level_name`) is in the caller's language, whichever
language the worker answered in before: the labels are translated once per language and kept.
A visitor's language is the one their client asks for (a person's own preference wins)."""

import pytest
from rest_framework.test import APIClient

from members.models import Person, PersonSkill
from tests.factories import PersonFactory, PersonSkillFactory

pytestmark = pytest.mark.django_db


def _level_names(client: APIClient, person, language: str) -> list[str]:
    body = client.get(f"/api/v1/people/{person.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
    return [skill["level_name"] for skill in body["skills"]]


def test_a_level_is_named_in_each_callers_language_in_turn(coop):
    member = PersonFactory(organisation=coop, profile_visibility=Person.ProfileVisibility.PUBLIC)
    PersonSkillFactory(person=member, level=PersonSkill.Level.CAN_TEACH)
    client = APIClient()

    assert _level_names(client, member, "es") == ["Puede enseñar"]
    assert _level_names(client, member, "en") == ["Can teach"]
    assert _level_names(client, member, "fr") == ["Peut enseigner"]
    assert _level_names(client, member, "es") == ["Puede enseñar"]
