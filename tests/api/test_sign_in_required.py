"""No empty 200s for anonymous callers: every list of API v1, walked from the router, either
serves a visitor real rows (it is public) or answers 401 problem JSON (it is for members,
`patio.api.SignInRequired`). An empty list a partner tool could read as "nothing there" is
what this refuses. Run on the demo network (`seed_demo`), where every list has rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, reverse
from rest_framework.test import APIClient

from accounts.models import User
from members.models import Skill, SkillCategory
from patio.urls import api_v1
from tests.api_helpers import assert_problem

pytestmark = pytest.mark.django_db


def _list_routes(patterns=api_v1, prefix="") -> list[str]:
    """The url name of every viewset list route (GET without an id), once each."""
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names += _list_routes(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            actions = getattr(pattern.callback, "actions", None) or {}
            if actions.get("get") == "list" and pattern.name and pattern.name not in names:
                names.append(pattern.name)
    return names


def test_the_walk_finds_every_list_route():
    names = _list_routes()
    assert {"person-list", "fund-ledger-list", "help-request-list", "token-list"} <= set(names)
    assert len(names) >= 20


def test_every_list_serves_a_visitor_real_rows_or_answers_401(subtests):
    call_command("seed_demo", stdout=io.StringIO())
    # The changes feed is public, but the demo has deleted nothing yet: delete a public row.
    category = SkillCategory.objects.first()
    Skill.objects.create(name="Lead type", slug="lead-type", category=category).delete()
    admin = APIClient()
    admin.force_login(User.objects.get(email="admin@patio.example"))
    visitor = APIClient()

    for name in _list_routes():
        url = reverse(f"api:{name}")
        with subtests.test(url=url):
            response = visitor.get(url)
            if response.status_code == 200:
                assert response.json()["results"], f"{url} shows a visitor an empty list"
            else:
                assert_problem(response, 401)
                assert admin.get(url).status_code == 200, "members read it once signed in"
