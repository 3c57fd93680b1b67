"""Saved searches through the API: a person lists, saves, changes and deletes their own, through
the services the searches page uses; anyone else's is a 404, never a 403.

`owner` saved the search acted on; `other` is a member of another co-op; network admins have no
person of their own, so they have no saved searches. Token roles hold tokens of the owner: pages
ignore tokens, so there a token holder is a visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from offers import services
from offers.models import SavedSearch
from tests import matrix
from tests.api_helpers import assert_problem
from tests.factories import SkillFactory
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES

API = "/api/v1/offers/searches/"
LISTED, ABSENT = "LISTED", "ABSENT"

ROLES = ("visitor", "owner", "other", "network_admin", *TOKEN_ROLES)

#                              visitor owner   other   n-admin tok-r   tok-w
MATRIX = {
    "api: list searches": (401, LISTED, ABSENT, ABSENT, LISTED, LISTED),
    "api: read search": (401, 200, 404, 404, 200, 200),
    "api: save search": (401, 201, 201, 403, 403, 201),
    "api: edit search": (401, 200, 404, 404, 403, 200),
    "api: delete search": (401, 204, 404, 404, 403, 204),
    "page: edit search": (LOGIN, SAVED, 404, 404, LOGIN, LOGIN),
    "page: delete search": (LOGIN, SAVED, 404, 404, LOGIN, LOGIN),
}
READS = {"api: list searches", "api: read search"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    search: SavedSearch


@pytest.fixture
def skill(db):
    return SkillFactory(name="Accessibility", slug="accessibility")


@pytest.fixture
def search(member, skill):
    return services.saved_search_create(
        actor=member.user,
        data={"name": "Accessible design", "country": "BG", "frequency": "daily"},
        skills=[skill],
        tags=["a11y"],
    )


@pytest.fixture
def world(member, outsider, network_admin, search) -> World:
    return World(
        search=search,
        users={"owner": member.user, "other": outsider.user, "network_admin": network_admin},
        secrets=matrix.api_tokens(user=member.user),
    )


def _snapshot() -> tuple:
    return (
        sorted(SavedSearch.objects.values_list("pk", "person_id", "name", "frequency", "country")),
        sorted(SavedSearch.skills.through.objects.values_list("savedsearch_id", "skill_id")),
        sorted(SavedSearch.tags.through.objects.values_list("savedsearch_id", "tag_id")),
    )


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    one = f"{API}{world.search.pk}/"
    match action:
        case "api: list searches":
            response = api.get(API)
            if response.status_code != 200:
                return response.status_code
            ids = [row["id"] for row in response.json()["results"]]
            return LISTED if ids == [world.search.pk] else ABSENT
        case "api: read search":
            return api.get(one).status_code
        case "api: save search":
            body = {"name": "Rooms in Sofia", "kind": "room", "country": "BG"}
            return api.post(API, body, format="json").status_code
        case "api: edit search":
            return api.patch(one, {"name": "Renamed", "frequency": "weekly"}).status_code
        case "api: delete search":
            return api.delete(one).status_code
        case "page: edit search":
            url = reverse("offers:search_edit", args=[world.search.pk])
            form = {"name": "Renamed", "country": "BG", "frequency": "weekly", "tags": "a11y"}
            return matrix.outcome(page.post(url, form))
        case "page: delete search":
            url = reverse("offers:search_delete", args=[world.search.pk])
            return matrix.outcome(page.post(url))
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        outcome = _run(action, world, role)
    assert outcome == expected


@pytest.mark.django_db
def test_someone_elses_search_is_not_found_as_problem_json(world):
    _page, api = world.clients("other")
    assert_problem(api.get(f"{API}{world.search.pk}/"), 404)
    assert_problem(api.patch(f"{API}{world.search.pk}/", {"name": "Mine"}), 404)


# What a member does -------------------------------------------------------------------------
@pytest.fixture
def as_member(api_client, member):
    api_client.force_login(member.user)
    return api_client


def test_a_member_saves_changes_and_deletes_a_search(as_member, skill, db):
    made = as_member.post(
        API, {"kind": "mentoring", "skills": ["accessibility"], "tags": ["A11y"]}, format="json"
    )
    assert made.status_code == 201, made.json()
    search = made.json()
    assert search["name"] == "My search" and search["frequency"] == "weekly"
    assert search["skills"] == ["accessibility"] and search["tags"] == ["a11y"]
    assert search["exchange"] == "" and search["country"] == ""
    assert made["Location"].endswith(f"{API}{search['id']}/")

    changed = as_member.patch(
        f"{API}{search['id']}/", {"frequency": "daily", "tags": [], "country": "AR"}
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["frequency"] == "daily" and changed.json()["tags"] == []
    assert changed.json()["skills"] == ["accessibility"], "what was not sent stays"
    assert as_member.get(API).json()["results"] == [changed.json()]

    assert as_member.delete(f"{API}{search['id']}/").status_code == 204
    assert not SavedSearch.objects.exists()
    assert_problem(as_member.delete(f"{API}{search['id']}/"), 404)


def test_what_was_read_can_be_sent_back_and_a_second_identical_change_changes_nothing(
    as_member, search
):
    url = f"{API}{search.pk}/"
    read = as_member.get(url).json()
    writable = {k: read[k] for k in ("name", "exchange", "kind", "country", "skills", "tags")}
    audits = AuditEvent.objects.count()
    again = as_member.patch(url, writable | {"frequency": read["frequency"]}, format="json")
    assert again.status_code == 200 and again.json() == read
    assert AuditEvent.objects.count() == audits, "sending back what was read changes nothing"

    first = as_member.patch(url, {"name": "Sofia design"}, format="json").json()
    second = as_member.patch(url, {"name": "Sofia design"}, format="json").json()
    assert second == first
    assert AuditEvent.objects.filter(action="offer.search_update").count() == 1


def test_a_retried_save_with_its_idempotency_key_saves_once(as_member, db):
    body = {"name": "Tools to borrow", "kind": "tool"}
    key = {"HTTP_IDEMPOTENCY_KEY": "search-1"}
    first = as_member.post(API, body, format="json", **key)
    retry = as_member.post(API, body, format="json", **key)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert SavedSearch.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"skills": ["no-such-skill"]}, "skills"),
        ({"skills": "accessibility"}, "skills"),
        ({"frequency": "hourly"}, "frequency"),
        ({"kind": "spaceship"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"tags": [f"t{n}" for n in range(9)]}, "tags"),
        ({"name": "x" * 101}, "name"),
        ({"person": 1}, "person"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(as_member, search, body, field):
    before = _snapshot()
    created = assert_problem(as_member.post(API, body, format="json"), 400)
    assert field in created["errors"]
    changed = assert_problem(as_member.patch(f"{API}{search.pk}/", body, format="json"), 400)
    assert field in changed["errors"]
    assert _snapshot() == before


def test_the_list_costs_the_same_queries_at_two_sizes(as_member, member):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_member.get(API).status_code == 200
        return len(queries)

    skills = [SkillFactory(slug=f"skill-{n}") for n in range(3)]
    services.saved_search_create(actor=member.user, data={"name": "One"}, skills=skills[:1])
    small = count()
    for n in range(6):
        services.saved_search_create(
            actor=member.user, data={"name": f"S{n}"}, skills=skills, tags=[f"t{n}", "x"]
        )
    assert count() == small


def test_saving_costs_the_same_queries_whatever_the_number_of_skills(as_member, db):
    skills = [SkillFactory(slug=f"skill-{n}").slug for n in range(8)]

    def count(slugs: list[str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = as_member.post(API, {"skills": slugs}, format="json")
        assert response.status_code == 201
        return len(queries)

    assert count(skills[:1]) == count(skills)


def test_a_deleted_search_is_in_the_changes_feed_of_its_owner_only(world, api_client, search):
    since = search.created_at.isoformat()
    _page, owner = world.clients("owner")
    assert owner.delete(f"{API}{search.pk}/").status_code == 204
    mine = owner.get("/api/v1/changes/", {"since": since}).json()["results"]
    assert [(t["resource"], t["object_id"]) for t in mine] == [("offers/searches", str(search.pk))]
    _page, other = world.clients("other")
    assert other.get("/api/v1/changes/", {"since": since}).json()["results"] == []


def test_the_edit_page_shows_the_search_as_saved_and_changes_it(client, member, search, skill):
    client.force_login(member.user)
    url = reverse("offers:search_edit", args=[search.pk])
    form = client.get(url).content.decode()
    assert 'value="Accessible design"' in form and 'value="a11y"' in form
    assert f'value="{skill.pk}" checked' in form.replace("\n", " ") or "checked" in form
    response = client.post(url, {"name": "", "frequency": "daily", "tags": "a11y, sofia"})
    assert response.status_code == 302
    search.refresh_from_db()
    assert search.name == "My search" and search.frequency == "daily"
    assert sorted(t.name for t in search.tags.all()) == ["a11y", "sofia"]
    assert list(search.skills.all()) == [], "unticked skills are dropped"
    assert "Change “My search”" in client.get(reverse("offers:searches")).content.decode()
