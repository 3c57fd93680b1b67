"""What partner tools rely on from every API answer, whatever the endpoint: paths with or without
their trailing slash, problem JSON for unknown paths in every mode, conditional GETs, the
RateLimit and Location headers, Idempotency-Key on every create, and CORS for read-only calls."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from members.models import Skill
from tests.api_helpers import assert_problem
from tests.factories import SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(network_admin):
    client = APIClient()
    client.force_login(network_admin)
    return client


@pytest.fixture
def category(db):
    return SkillCategoryFactory(name="Development")


def _skill(name: str = "Rust") -> dict:
    return {"name": name, "slug": name.lower(), "category": "development"}


# Trailing slashes and unknown paths -------------------------------------------------------------
@pytest.mark.parametrize("debug", [True, False])
def test_a_post_without_the_trailing_slash_creates_as_with_it(admin_api, category, debug):
    with override_settings(DEBUG=debug):
        response = admin_api.post("/api/v1/skills", _skill(), format="json")

    assert response.status_code == 201, response.content[:300]
    assert Skill.objects.filter(slug="rust").exists()


@pytest.mark.parametrize("debug", [True, False])
def test_a_get_without_the_trailing_slash_answers_in_place(api_client, debug):
    skill = SkillFactory(name="Django")
    with override_settings(DEBUG=debug):
        response = api_client.get(f"/api/v1/skills/{skill.slug}?format=json")

    assert response.status_code == 200
    assert response.json()["slug"] == skill.slug


@pytest.mark.parametrize(
    ("debug", "technical"), [(True, False), (True, True), (False, False)], ids=str
)
@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/nothing-here", "/api/v2"])
def test_an_unknown_api_path_is_a_404_problem_in_every_mode(api_client, debug, technical, path):
    with override_settings(DEBUG=debug, DEBUG_TECHNICAL_404=technical):
        response = api_client.post(path, {"a": 1}, format="json")

    assert_problem(response, 404)
