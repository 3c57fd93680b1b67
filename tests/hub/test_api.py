"""The hub's API: the same workflow as the pages, strict input answered with problem JSON, and
the filters the hub page offers."""

from __future__ import annotations

import pytest

from hub.models import Guide
from tests.api_helpers import assert_problem

pytestmark = pytest.mark.django_db
API = "/api/v1/guides/"


@pytest.fixture
def as_author(api_client, member):
    api_client.force_login(member.user)
    return api_client


def test_a_member_writes_translates_and_sends_a_guide_for_review(as_author, reviewing_circle):
    body = {
        "title": "Running a project across timezones",
        "summary": "Overlap hours, written decisions, rotating meeting times.",
        "body": "## Find the overlap\n\nTwo hours a day is enough.",
        "category": "inter_coop_projects",
        "reviewer_circle": "education",
        "tags": ["remote", "timezones"],
    }
    created = as_author.post(API, body, format="json")
    assert created.status_code == 201, created.json()
    guide = created.json()
    assert guide["status"] == "draft" and guide["reading_minutes"] == 1
    assert guide["tags"] == ["remote", "timezones"]
    assert created["Location"].endswith(f"{API}{guide['slug']}/")

    translation = {"language": "es", "title": "Proyectos entre husos horarios", "text": "Texto."}
    made = as_author.post(f"{API}{guide['slug']}/translations/", translation, format="json")
    assert made.status_code == 201 and made.json()["outdated"] is False
    sent = as_author.post(f"{API}{guide['slug']}/submit/", format="json")
    assert sent.json()["status"] == "in_review"
    assert [t["language"] for t in sent.json()["translations"]] == ["es"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "astrology"}, "category"),
        ({"reviewer_circle": "no-such-circle"}, "reviewer_circle"),
        ({"tags": "not a list"}, "tags"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(as_author, reviewing_circle, body, field):
    valid = {
        "title": "T",
        "summary": "S",
        "body": "B",
        "category": "pricing_work",
        "reviewer_circle": "education",
    }
    response = as_author.post(API, valid | body, format="json")
    assert_problem(response, 400)
    assert field in response.json()["errors"]
    assert not Guide.objects.exists()


def test_sending_back_needs_a_comment(api_client, reviewer, in_review):
    api_client.force_login(reviewer.user)
    response = api_client.post(f"{API}{in_review.slug}/send-back/", {"comment": ""}, format="json")
    assert_problem(response, 400)
    assert Guide.objects.get(pk=in_review.pk).status == Guide.Status.IN_REVIEW


def test_a_second_translation_into_one_language_is_refused(as_author, draft):
    url = f"{API}{draft.slug}/translations/"
    as_author.post(url, {"language": "fr", "title": "Un", "text": "Un."}, format="json")
    again = as_author.post(url, {"language": "fr", "title": "Deux", "text": "Deux."}, format="json")
    assert_problem(again, 400)
    assert "language" in again.json()["errors"]


def test_the_api_filters_as_the_hub_page_does(api_client, published, draft):
    assert [g["slug"] for g in api_client.get(f"{API}?q=consent").json()["results"]] == [
        published.slug
    ]
    assert api_client.get(f"{API}?category=pricing_work").json()["results"] == []
    assert_problem(api_client.get(f"{API}?category=astrology"), 400)


def test_learning_paths_say_which_guides_the_caller_did(
    api_client, network_admin, member, published
):
    from hub import services

    services.path_create(actor=network_admin, title="Start here", guides=[published])
    services.guide_mark_done(actor=member.user, guide=published)
    api_client.force_login(member.user)
    (path,) = api_client.get("/api/v1/learning-paths/").json()["results"]
    assert path["guides"] == [published.slug] and path["done"] == [published.slug]
