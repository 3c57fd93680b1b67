"""What partner tools send that they should not: every bad request gets a 4xx problem JSON
(RFC 9457) and leaves the database as it was. Then the list features they rely on: cursor
pages, ordering, filters, search, and the OpenAPI schema."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from members.models import Organisation, Person, PersonSkill
from members.search import refresh_search_vectors
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SkillFactory,
)

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def person_row(person: Person) -> dict:
    return {
        "person": Person.objects.filter(pk=person.pk).values().get(),
        "skills": list(PersonSkill.objects.filter(person=person).order_by("pk").values()),
        "languages": list(person.person_languages.order_by("pk").values()),
    }


def organisation_row(organisation: Organisation) -> dict:
    return {
        "organisation": Organisation.objects.filter(pk=organisation.pk).values().get(),
        "languages": list(organisation.languages.values_list("pk", flat=True)),
        "sectors": list(organisation.sectors.values_list("pk", flat=True)),
    }


@pytest.fixture
def python_skill(db):
    return SkillFactory(name="Python")


@pytest.fixture
def member_api(member, python_skill):
    """The member, logged in, with one skill on their profile."""
    PersonSkillFactory(person=member, skill=python_skill, level=2)
    client = APIClient()
    client.force_login(member.user)
    return client


@pytest.fixture
def admin_api(coop_admin):
    client = APIClient()
    client.force_login(coop_admin.user)
    return client


def own_url(member) -> str:
    return f"/api/v1/people/{member.pk}/"


# Bad bodies on PATCH /people/<own id>/ -----------------------------------------------------------
RAW_BODIES = [
    pytest.param(b'{"bio": "half', 400, id="malformed JSON"),
    pytest.param(b'{"bio": "ok",}', 400, id="trailing comma"),
    pytest.param(b'{"hours_per_week": NaN}', 400, id="NaN is not JSON"),
    pytest.param(b'\xff\xfe{"bio": "x"}', 400, id="not UTF-8"),
    pytest.param(json.dumps({"bio": "a\u0000b"}).encode(), 400, id="NUL in a string"),
    pytest.param(json.dumps({"bio\u0000": "x"}).encode(), 400, id="NUL in a key"),
    pytest.param(
        json.dumps({"skills": [{"skill": "python\u0000", "level": 2}]}).encode(),
        400,
        id="NUL deep inside",
    ),
]


@pytest.mark.parametrize(("body", "status"), RAW_BODIES)
def test_unparseable_body_is_refused_and_changes_nothing(member, member_api, body, status):
    before = person_row(member)
    response = member_api.generic("PATCH", own_url(member), body, "application/json")
    assert_problem(response, status)
    assert person_row(member) == before


@pytest.mark.parametrize(
    "payload", [[], ["bio"], "bio", 42, None, True], ids=lambda p: f"JSON {type(p).__name__}"
)
def test_json_that_is_not_an_object_is_refused(member, member_api, payload):
    before = person_row(member)
    response = member_api.generic("PATCH", own_url(member), json.dumps(payload), "application/json")
    body = assert_problem(response, 400)
    assert "non_field_errors" in body["errors"]
    assert person_row(member) == before


FIELD_ERRORS = [
    pytest.param({"bio": "x", "favourite_colour": "teal"}, "favourite_colour", id="unknown field"),
    pytest.param({"is_coop_admin": True}, "is_coop_admin", id="a role is not writable"),
    pytest.param({"organisation": "facttic-sur"}, "organisation", id="nor is the home co-op"),
    pytest.param({"hours_per_week": "lots"}, "hours_per_week", id="string for a number"),
    pytest.param({"hours_per_week": 500}, "hours_per_week", id="number too large"),
    pytest.param({"hours_per_week": -3}, "hours_per_week", id="negative number"),
    pytest.param({"display_name": ["Mila"]}, "display_name", id="list for a string"),
    pytest.param({"display_name": {"en": "Mila"}}, "display_name", id="object for a string"),
    pytest.param({"available_from": "next week"}, "available_from", id="not a date"),
    pytest.param({"country": "ZZ"}, "country", id="invalid country code"),
    pytest.param({"timezone": "Mars/Olympus_Mons"}, "timezone", id="invalid timezone"),
    pytest.param({"timezone": "CEST"}, "timezone", id="abbreviation, not IANA"),
    pytest.param({"contact_email": "not-an-email"}, "contact_email", id="invalid email"),
    pytest.param({"phone_visibility": "everyone"}, "phone_visibility", id="unknown choice"),
    pytest.param({"bio": "x" * 4001}, "bio", id="bio too long"),
    pytest.param(
        {"skills": [{"skill": "python", "level": 2}, {"skill": "python", "level": 3}]},
        "skills",
        id="duplicate skills",
    ),
    pytest.param({"skills": [{"skill": "python", "level": 5}]}, "skills", id="level above 4"),
    pytest.param({"skills": [{"skill": "python", "level": 0}]}, "skills", id="level below 1"),
    pytest.param({"skills": [{"skill": "python", "level": "expert"}]}, "skills", id="level name"),
    pytest.param({"skills": [{"skill": "cobol", "level": 2}]}, "skills", id="unknown skill"),
    pytest.param({"skills": {"python": 2}}, "skills", id="skills not a list"),
    pytest.param(
        {"languages": [{"language": "xx", "proficiency": 2}]}, "languages", id="unknown language"
    ),
]


@pytest.mark.parametrize(("payload", "field"), FIELD_ERRORS)
def test_invalid_field_gives_field_error_and_changes_nothing(member, member_api, payload, field):
    before = person_row(member)
    response = member_api.patch(own_url(member), payload, format="json")
    body = assert_problem(response, 400)
    assert field in body["errors"], body
    assert body["type"].endswith("/validation-error")
    assert person_row(member) == before


def test_valid_patch_is_saved(member, member_api, python_skill):
    """The control for the cases above: the same door accepts a good request."""
    payload = {
        "bio": "Builds co-op tools.",
        "hours_per_week": 12,
        "timezone": "America/Bogota",
        "country": "CO",
        "skills": [{"skill": "python", "level": 4, "years": 9}],
    }
    response = member_api.patch(own_url(member), payload, format="json")
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.bio, member.hours_per_week, member.timezone) == (
        "Builds co-op tools.",
        12,
        "America/Bogota",
    )
    assert member.country == "CO"
    assert list(member.person_skills.values_list("level", "years")) == [(4, 9)]


def test_oversized_body_is_refused_with_413(member, member_api):
    before = person_row(member)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"bio": "ok", "padding": "x" * (limit + 10)}).encode()
    assert len(body) > limit
    response = member_api.generic("PATCH", own_url(member), body, "application/json")
    assert_problem(response, 413)
    assert person_row(member) == before


def test_body_just_under_the_limit_is_parsed(member, member_api):
    """The limit is the setting, not something smaller: a big but allowed body reaches validation."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"padding": "x" * (limit - 100)}).encode()
    assert len(body) <= limit
    response = member_api.generic("PATCH", own_url(member), body, "application/json")
    assert "padding" in assert_problem(response, 400)["errors"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"bio=hello"),
        ("application/x-www-form-urlencoded", b"bio=hello"),
        ("application/xml", b"<bio>hello</bio>"),
    ],
)
def test_body_that_is_not_json_gives_415(member, member_api, content_type, body):
    before = person_row(member)
    response = member_api.generic("PATCH", own_url(member), body, content_type)
    assert_problem(response, 415)
    assert person_row(member) == before


# Bad bodies on PATCH /organisations/<slug>/ --------------------------------------------------------
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"country": "XX"}, "country", id="invalid country"),
        pytest.param({"founded": "long ago"}, "founded", id="wrong type"),
        pytest.param({"website": "not a url"}, "website", id="invalid url"),
        pytest.param({"languages": ["klingon"]}, "languages", id="unknown language"),
        pytest.param({"name": "Camplight", "secret_field": 1}, "secret_field", id="unknown field"),
        pytest.param({"services": "one string"}, "services", id="services not a list"),
    ],
)
def test_invalid_organisation_patch_changes_nothing(coop, admin_api, payload, field):
    before = organisation_row(coop)
    response = admin_api.patch(f"/api/v1/organisations/{coop.slug}/", payload, format="json")
    assert field in assert_problem(response, 400)["errors"]
    assert organisation_row(coop) == before


def test_nul_in_organisation_description_changes_nothing(coop, admin_api):
    before = organisation_row(coop)
    response = admin_api.patch(
        f"/api/v1/organisations/{coop.slug}/", {"description": "a\u0000b"}, format="json"
    )
    assert_problem(response, 400)
    assert organisation_row(coop) == before


# Wrong addresses and methods ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/no-such-coop/",
        "/api/v1/skills/no-such-skill/",
        "/api/v1/people/999999/",
        "/api/v1/no-such-thing/",
    ],
)
def test_unknown_address_gives_404_problem(db, api_client, url):
    body = assert_problem(api_client.get(url), 404)
    assert body["type"].endswith("/not-found")


def test_patching_unknown_slug_gives_404_and_creates_nothing(admin_api):
    count = Organisation.objects.count()
    response = admin_api.patch("/api/v1/organisations/no-such-coop/", {"city": "X"}, format="json")
    assert_problem(response, 404)
    assert Organisation.objects.count() == count


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("put", "/api/v1/people/{pk}/"),
        ("delete", "/api/v1/people/{pk}/"),
        ("put", "/api/v1/organisations/camplight/"),
        ("put", "/api/v1/skills/python/"),
    ],
)
def test_unsupported_method_gives_405_with_allow(member, member_api, python_skill, method, url):
    before = person_row(member)
    response = getattr(member_api, method)(url.format(pk=member.pk), {}, format="json")
    body = assert_problem(response, 405)
    assert method.upper() in body["detail"]
    assert "GET" in response["Allow"]
    assert person_row(member) == before


# Pages, ordering, filters and search ---------------------------------------------------------------
def walk(client, url: str) -> tuple[list[dict], int]:
    """Follow `next` links to the end; return every row and the number of pages."""
    rows, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        rows += body["results"]
        pages += 1
        url = body["next"]
        assert pages < 100, "the pages never end"
    return rows, pages


@pytest.fixture
def crowd(coop, other_coop):
    """23 people of `camplight` with names that repeat, so ties on the name must not break pages."""
    names = ["Ana", "Bo", "Bo", "Bo", "Cai", "Dara", "Eli", "Eli", "Fen", "Gus", "Hana", "Ira"]
    names += ["Jo", "Kit", "Lou", "Lou", "Mo", "Nia", "Oz", "Pia", "Quin", "Rui", "Sol"]
    return [
        PersonFactory(organisation=coop, display_name=name, hours_per_week=i % 4)
        for i, name in enumerate(names)
    ]


def test_cursor_pages_walk_everyone_once_in_name_order(db, member_api, crowd):
    rows, pages = walk(member_api, "/api/v1/people/?page_size=5")
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == Person.objects.count()
    assert pages == -(-len(ids) // 5)
    expected = list(Person.objects.order_by("display_name", "id").values_list("id", flat=True))
    assert ids == expected


def test_pages_are_cursors_not_page_numbers(db, member_api, crowd):
    body = member_api.get("/api/v1/people/?page_size=5").json()
    assert "count" not in body
    query = parse_qs(urlsplit(body["next"]).query)
    assert "cursor" in query and "page" not in query
    body = assert_problem(member_api.get("/api/v1/people/?cursor=not-a-cursor"), 400)
    assert "cursor" in body["errors"]


@pytest.mark.parametrize(
    ("ordering", "key"),
    [
        ("-display_name", lambda p: (p.display_name, p.pk)),
        ("hours_per_week", lambda p: (p.hours_per_week,)),
        ("-id", lambda p: (p.pk,)),
    ],
)
def test_ordering_param_orders_every_page(db, member_api, crowd, ordering, key):
    rows, _pages = walk(member_api, f"/api/v1/people/?page_size=4&ordering={ordering}")
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == Person.objects.count()
    people = {p.pk: p for p in Person.objects.all()}
    keys = [key(people[pk]) for pk in ids]
    assert keys == sorted(keys, reverse=ordering.startswith("-"))


def test_ordering_by_a_field_not_offered_is_refused(db, member_api, crowd):
    response = member_api.get("/api/v1/people/?page_size=10&ordering=contact_email")
    assert "ordering" in assert_problem(response, 400)["errors"]


def test_organisations_page_in_name_order(db, api_client):
    for i in range(12):
        OrganisationFactory(name=f"Co-op {chr(ord('Z') - i)}")
    rows, pages = walk(api_client, "/api/v1/organisations/?page_size=5")
    names = [row["name"] for row in rows]
    assert names == sorted(names) and len(set(names)) == len(names) == 12
    assert pages == 3


@pytest.fixture
def directory(coop, other_coop, python_skill):
    """Two co-ops, people with skills and languages, and search vectors refreshed."""
    spanish = LanguageFactory(code="es", name="Spanish")
    english = LanguageFactory(code="en", name="English")
    coop.languages.set([english])
    other_coop.languages.set([spanish])
    design = SkillFactory(name="Service design")
    people = {
        "ada": PersonFactory(organisation=coop, display_name="Ada Pythonista", country="BG"),
        "ben": PersonFactory(organisation=coop, display_name="Ben Designer", country="BG"),
        "cata": PersonFactory(organisation=other_coop, display_name="Catalina Ruiz", country="AR"),
    }
    PersonSkillFactory(person=people["ada"], skill=python_skill, level=4)
    PersonSkillFactory(person=people["cata"], skill=python_skill, level=1)
    PersonSkillFactory(person=people["ben"], skill=design, level=3)
    PersonLanguageFactory(person=people["cata"], language=spanish)
    PersonLanguageFactory(person=people["ben"], language=spanish)
    PersonLanguageFactory(person=people["ada"], language=english)
    refresh_search_vectors()
    return people


def _names(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return {row.get("display_name") or row.get("name") for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=AR", {"Catalina Ruiz"}),
        ("skill=python", {"Ada Pythonista", "Catalina Ruiz"}),
        ("skill=python&min_level=3", {"Ada Pythonista"}),
        ("language=es", {"Ben Designer", "Catalina Ruiz"}),
        ("language=es&country=BG", {"Ben Designer"}),
        ("organisation=facttic-sur", {"Catalina Ruiz"}),
        ("q=catalina", {"Catalina Ruiz"}),
        ("search=catalina", {"Catalina Ruiz"}),
        ("search=design", {"Ben Designer"}),
    ],
)
def test_people_filters(directory, api_client, member, query, expected):
    api_client.force_login(member.user)
    found = _names(api_client, f"/api/v1/people/?{query}&page_size=100") - {member.display_name}
    assert found == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=AR", {"Facttic Sur"}),
        ("country=AR&country=BG", {"Facttic Sur", "Camplight"}),
        ("skill=python", {"Camplight", "Facttic Sur"}),
        ("skill=service-design", {"Camplight"}),
        ("language=es", {"Facttic Sur"}),
        ("search=facttic", {"Facttic Sur"}),
        ("q=camplight", {"Camplight"}),
    ],
)
def test_organisation_filters(directory, api_client, query, expected):
    assert _names(api_client, f"/api/v1/organisations/?{query}") == expected


@pytest.mark.parametrize(
    "query", ["country=ZZ", "skill=no-such-skill", "language=xx", "size_min=-1", "min_level=9"]
)
def test_invalid_filter_value_gives_400_problem(directory, api_client, query):
    url = "/api/v1/people/" if "level" in query else "/api/v1/organisations/"
    body = assert_problem(api_client.get(f"{url}?{query}"), 400)
    assert body["errors"]


# The schema --------------------------------------------------------------------------------------
ENDPOINTS = [
    "/api/v1/organisations/",
    "/api/v1/organisations/{slug}/",
    "/api/v1/people/",
    "/api/v1/people/{id}/",
    "/api/v1/skills/",
    "/api/v1/skills/{slug}/",
    "/api/v1/tokens/",
    "/api/v1/tokens/{id}/",
    "/api/v1/tokens/{id}/revoke/",
]


def test_schema_generates_without_warnings_and_validates(db, tmp_path):
    """`spectacular --fail-on-warn --validate`: no guessed types, and valid OpenAPI 3."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


def test_schema_documents_every_endpoint(db, api_client):
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    missing = [path for path in ENDPOINTS if path not in paths]
    assert not missing, sorted(paths)
    assert set(paths["/api/v1/people/{id}/"]) >= {"get", "patch"}
    assert "post" in paths["/api/v1/tokens/"]
    assert "post" in paths["/api/v1/tokens/{id}/revoke/"]
    params = {p["name"] for p in paths["/api/v1/people/"]["get"]["parameters"]}
    assert {"q", "search", "skill", "country", "language", "ordering", "cursor"} <= params


def test_schema_names_bearer_auth(db, api_client):
    schemes = api_client.get("/api/v1/schema/?format=json").json()["components"]["securitySchemes"]
    assert any(s.get("scheme", "").lower() == "bearer" for s in schemes.values()), schemes
