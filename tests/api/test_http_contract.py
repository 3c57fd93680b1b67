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
from tests.matrix import reauthenticated

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


# Location on every 201 --------------------------------------------------------------------------
def test_a_created_skill_is_answered_with_its_location(admin_api, category):
    response = admin_api.post("/api/v1/skills/", _skill(), format="json")

    assert response.status_code == 201
    assert response["Location"] == "http://testserver/api/v1/skills/rust/"
    assert admin_api.get(response["Location"]).json()["slug"] == "rust"


def test_a_created_token_is_answered_with_its_location(member):
    client = APIClient()
    client.force_login(member.user)
    reauthenticated(client)  # tokens are made only from a session that just signed in again
    response = client.post("/api/v1/tokens/", {"name": "CRM", "scope": "read"}, format="json")

    assert response.status_code == 201, response.content[:300]
    assert response["Location"] == f"http://testserver/api/v1/tokens/{response.json()['id']}/"


def test_a_visitors_help_request_is_answered_with_its_location(api_client):
    from tests.factories import LanguageFactory
    from tests.intake.test_api import _body

    LanguageFactory(code="es", name="Spanish")
    response = api_client.post("/api/v1/help-requests/", _body(), format="json")

    assert response.status_code == 201, response.content[:300]
    assert response["Location"].endswith(f"/api/v1/help-requests/{response.json()['id']}/")


# Conditional requests ---------------------------------------------------------------------------
def test_a_detail_read_has_an_etag_and_an_unchanged_one_is_a_304(api_client):
    skill = SkillFactory(name="Django")
    url = f"/api/v1/skills/{skill.slug}/"
    first = api_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('W/"')

    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    skill.synonyms = "Python web"
    skill.save(update_fields=["synonyms"])
    changed = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_detail_read_of_a_row_with_updated_at_has_last_modified(api_client):
    from tests.circles.factories import CircleFactory

    circle = CircleFactory(name="Tech")
    url = f"/api/v1/circles/{circle.slug}/"
    first = api_client.get(url)
    assert first.status_code == 200
    assert first["Last-Modified"]

    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    older = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200


# RateLimit headers and throttles ----------------------------------------------------------------
@pytest.fixture
def rates(monkeypatch):
    from rest_framework import throttling

    def _set(**rates):
        monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)

    return _set


def test_every_answer_tells_an_anonymous_caller_their_budget(api_client, rates):
    rates(anon="3/minute", user="100/minute", token="100/minute")
    answers = [api_client.get("/api/v1/skills/") for _ in range(4)]

    assert [a["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert {a["RateLimit-Limit"] for a in answers} == {"3"}
    assert all(0 < int(a["RateLimit-Reset"]) <= 60 for a in answers)
    throttled = assert_problem(answers[3], 429)
    assert throttled["retry_after"] > 0
    assert answers[3]["RateLimit-Remaining"] == "0"


def test_a_token_caller_sees_the_token_budget(member, rates):
    from accounts.services import token_create

    rates(anon="3/minute", user="100/minute", token="7/minute")
    _token, secret = token_create(actor=member.user, user=member.user, name="CRM", scope="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.get("/api/v1/skills/")
    assert response["RateLimit-Limit"] == "7"
    assert response["RateLimit-Remaining"] == "6"


def test_anonymous_callers_are_capped_by_the_anonymous_limit_alone(api_client, rates):
    rates(anon="4/minute", user="2/minute", token="100/minute")
    answers = [api_client.get("/api/v1/skills/").status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_a_forged_forwarded_for_does_not_buy_an_anonymous_caller_a_fresh_budget(rates):
    rates(anon="2/minute", user="100/minute", token="100/minute")
    client = APIClient(REMOTE_ADDR="203.0.113.20")
    answers = [
        client.get("/api/v1/skills/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]

    assert answers == [200, 200, 429]


# CORS for read-only calls -----------------------------------------------------------------------
PARTNER = "https://app.partner.example"


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_an_allowed_origin_may_read_with_a_bearer_token(api_client):
    preflight = api_client.options(
        "/api/v1/skills/",
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == PARTNER
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight

    response = api_client.get("/api/v1/skills/", HTTP_ORIGIN=PARTNER)
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "RateLimit-Remaining" in response["Access-Control-Expose-Headers"]
    assert "Link" in response["Access-Control-Expose-Headers"]  # a browser app pages with it
    assert "Access-Control-Allow-Credentials" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_cross_origin_write_gets_no_cors_headers(admin_api, category):
    response = admin_api.post("/api/v1/skills/", _skill(), format="json", HTTP_ORIGIN=PARTNER)

    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_cors_is_only_for_the_api_and_allowed_origins(client, api_client):
    other = api_client.get("/api/v1/skills/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    page = client.get("/", HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in page


def test_no_origin_is_allowed_by_default(api_client):
    response = api_client.get("/api/v1/skills/", HTTP_ORIGIN=PARTNER)

    assert "Access-Control-Allow-Origin" not in response


# Idempotency-Key on every create ----------------------------------------------------------------
def test_a_repeated_key_gives_the_first_answer_and_creates_nothing_more(admin_api, category):
    first = admin_api.post("/api/v1/skills/", _skill(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = admin_api.post("/api/v1/skills/", _skill(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Skill.objects.filter(slug="rust").count() == 1


def test_the_same_key_with_another_body_is_a_422_and_creates_nothing(admin_api, category):
    admin_api.post("/api/v1/skills/", _skill("Rust"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = admin_api.post(
        "/api/v1/skills/", _skill("Go"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )

    assert assert_problem(other, 422)["type"].endswith("idempotency-key-reused")
    assert not Skill.objects.filter(slug="go").exists()


def test_a_refused_request_does_not_use_up_its_key(admin_api, category):
    bad = admin_api.post(
        "/api/v1/skills/",
        {**_skill(), "category": "nope"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-3",
    )
    assert_problem(bad, 400)

    good = admin_api.post("/api/v1/skills/", _skill(), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


def test_keys_are_kept_per_caller(admin_api, category):
    from tests.factories import UserFactory

    admin_api.post("/api/v1/skills/", _skill("Rust"), format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    other_admin = APIClient()
    other_admin.force_login(UserFactory(email="admin2@patio.coop", is_staff=True))
    response = other_admin.post(
        "/api/v1/skills/", _skill("Go"), format="json", HTTP_IDEMPOTENCY_KEY="k-4"
    )

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Skill.objects.filter(slug="go").exists()


def test_every_post_of_the_schema_documents_the_key(api_client):
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]
    posts = {
        path: operations["post"]
        for path, operations in paths.items()
        if "post" in operations and not path.startswith("/api/v1/tokens/")
    }

    assert len(posts) > 15
    for path, operation in posts.items():
        names = [p["name"] for p in operation.get("parameters", [])]
        assert "Idempotency-Key" in names, path
        assert "422" in operation["responses"], path
    skills = paths["/api/v1/skills/"]
    assert "Location" in skills["post"]["responses"]["201"]["headers"]
    assert "RateLimit-Remaining" in skills["get"]["responses"]["200"]["headers"]
    assert "304" in paths["/api/v1/skills/{slug}/"]["get"]["responses"]


def test_the_schema_documents_the_link_header_on_every_page_and_only_there(api_client):
    schema = api_client.get("/api/v1/schema/?format=json")
    pages = details = 0
    for path, operations in schema.json()["paths"].items():
        get = operations.get("get")
        if not get or "200" not in get["responses"]:
            continue
        headers = get["responses"]["200"].get("headers", {})
        if any(p["name"] == "cursor" for p in get.get("parameters", [])):
            pages += 1
            assert "Link" in headers, path
        else:
            details += 1
            assert "Link" not in headers, path
    assert pages >= 20 and details >= 10


def test_a_precondition_that_no_longer_holds_is_a_412_problem(api_client):
    skill = SkillFactory(name="Typesetting")
    url = f"/api/v1/skills/{skill.slug}/"
    # "*" holds for any record that exists; a named tag is compared strongly (RFC 9110), and
    # ours are weak, so it never holds.
    assert api_client.get(url, HTTP_IF_MATCH="*").status_code == 200
    stale = api_client.get(url, HTTP_IF_MATCH='"not-the-current-one"')
    assert_problem(stale, 412)
