"""Who may do what in the knowledge hub, through the pages and the API.

Each row is an action, each column a role, each cell what that role gets (tests/matrix.py):
a status code, LOGIN (the page sends them to the login page), SAVED (done, then redirected).

`author` wrote the guides acted on (Mila); `reviewer` is a member of Education, the circle that
reviews them; `other` is a person of the network in neither role; the network admin has no person
of their own, so they review and edit but write, translate and mark nothing. Token roles hold
tokens of the author: pages ignore tokens, so there a token holder is a visitor. A draft is a 404
to everyone but its author and network admins; a guide in review is seen by its reviewers too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from hub.models import Guide, GuideDone, GuideTranslation, LearningPath
from tests import matrix
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES

ROLES = ("visitor", "author", "reviewer", "other", "network_admin", *TOKEN_ROLES)

#                              visitor author  review  other   n-admin tok-r   tok-w
MATRIX = {
    "page: read published": (200, 200, 200, 200, 200, 200, 200),
    "api: read published": (200, 200, 200, 200, 200, 200, 200),
    "page: read draft": (404, 200, 404, 404, 200, 404, 404),
    "api: read draft": (404, 200, 404, 404, 200, 200, 200),
    "page: read in review": (404, 200, 200, 404, 200, 404, 404),
    "page: open editor": (LOGIN, 200, 404, 404, 200, LOGIN, LOGIN),
    "page: write guide": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: write guide": (401, 201, 201, 201, 403, 403, 201),
    "page: edit draft": (LOGIN, SAVED, 404, 404, SAVED, LOGIN, LOGIN),
    "api: edit draft": (401, 200, 404, 404, 200, 403, 200),
    "page: edit in review": (LOGIN, 403, 403, 404, SAVED, LOGIN, LOGIN),
    "page: send for review": (LOGIN, SAVED, 404, 404, SAVED, LOGIN, LOGIN),
    "api: send for review": (401, 200, 404, 404, 200, 403, 200),
    "page: publish": (LOGIN, 403, SAVED, 404, SAVED, LOGIN, LOGIN),
    "api: publish": (401, 403, 200, 404, 200, 403, 403),
    "page: send back": (LOGIN, 403, SAVED, 404, SAVED, LOGIN, LOGIN),
    "api: send back": (401, 403, 200, 404, 200, 403, 403),
    "page: take back published": (LOGIN, SAVED, 403, 403, SAVED, LOGIN, LOGIN),
    "page: translate draft": (LOGIN, SAVED, 404, 404, 403, LOGIN, LOGIN),
    "api: translate draft": (401, 201, 404, 404, 403, 403, 201),
    "page: translate published": (LOGIN, 403, SAVED, 403, 403, LOGIN, LOGIN),
    "page: mark done": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: mark done": (401, 200, 200, 200, 403, 403, 200),
    "page: new path": (LOGIN, 403, 403, 403, SAVED, LOGIN, LOGIN),
    "api: list paths": (200, 200, 200, 200, 200, 200, 200),
}
READS = {
    "page: read published",
    "api: read published",
    "page: read draft",
    "api: read draft",
    "page: read in review",
    "page: open editor",
    "api: list paths",
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    draft: Guide
    in_review: Guide
    published: Guide
    circle_pk: int


@pytest.fixture
def world(member, reviewer, outsider, network_admin, draft, in_review, published) -> World:
    return World(
        draft=draft,
        in_review=in_review,
        published=published,
        circle_pk=draft.reviewer_circle_id,
        users={
            "author": member.user,
            "reviewer": reviewer.user,
            "other": outsider.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=member.user),
    )


def _snapshot() -> tuple:
    return (
        sorted(Guide.objects.values_list("slug", "status", "title", "revision", "review_comment")),
        sorted(GuideTranslation.objects.values_list("guide_id", "language", "title")),
        sorted(GuideDone.objects.values_list("person_id", "guide_id")),
        sorted(LearningPath.objects.values_list("slug", flat=True)),
    )


def _form(world: World, **changes) -> dict:
    return {
        "title": "A guide from the matrix",
        "summary": "What the matrix checks.",
        "category": "self_management",
        "language": "en",
        "reviewer_circle": world.circle_pk,
        "body": "Words of the matrix.",
        "tags": "matrix",
    } | changes


API = "/api/v1/guides/"
TRANSLATION = {"language": "fr", "title": "Un guide", "text": "Des mots."}


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    draft, review, published = world.draft.slug, world.in_review.slug, world.published.slug
    match action:
        case "page: read published":
            return matrix.outcome(page.get(reverse("hub:guide", args=[published])))
        case "api: read published":
            return api.get(f"{API}{published}/").status_code
        case "page: read draft":
            return matrix.outcome(page.get(reverse("hub:guide", args=[draft])))
        case "api: read draft":
            return api.get(f"{API}{draft}/").status_code
        case "page: read in review":
            return matrix.outcome(page.get(reverse("hub:guide", args=[review])))
        case "page: open editor":
            return matrix.outcome(page.get(reverse("hub:guide_edit", args=[draft])))
        case "page: write guide":
            return matrix.outcome(page.post(reverse("hub:guide_new"), _form(world)))
        case "api: write guide":
            body = _form(world, reviewer_circle="education", tags=["matrix"])
            return api.post(API, body, format="json").status_code
        case "page: edit draft":
            url = reverse("hub:guide_edit", args=[draft])
            return matrix.outcome(page.post(url, _form(world, title="Edited")))
        case "api: edit draft":
            return api.patch(f"{API}{draft}/", {"title": "Edited"}, format="json").status_code
        case "page: edit in review":
            url = reverse("hub:guide_edit", args=[review])
            return matrix.outcome(page.post(url, _form(world, title="Edited")))
        case "page: send for review":
            return matrix.outcome(page.post(reverse("hub:guide_submit", args=[draft])))
        case "api: send for review":
            return api.post(f"{API}{draft}/submit/", format="json").status_code
        case "page: publish":
            return matrix.outcome(page.post(reverse("hub:guide_publish", args=[review])))
        case "api: publish":
            return api.post(f"{API}{review}/publish/", format="json").status_code
        case "page: send back":
            url = reverse("hub:guide_send_back", args=[review])
            return matrix.outcome(page.post(url, {"comment": "Add an example."}))
        case "api: send back":
            body = {"comment": "Add an example."}
            return api.post(f"{API}{review}/send-back/", body, format="json").status_code
        case "page: take back published":
            return matrix.outcome(page.post(reverse("hub:guide_withdraw", args=[published])))
        case "page: translate draft":
            url = reverse("hub:translation_new", args=[draft])
            return matrix.outcome(page.post(url, TRANSLATION))
        case "api: translate draft":
            return api.post(f"{API}{draft}/translations/", TRANSLATION, format="json").status_code
        case "page: translate published":
            url = reverse("hub:translation_new", args=[published])
            return matrix.outcome(page.post(url, TRANSLATION))
        case "page: mark done":
            url = reverse("hub:guide_done", args=[published])
            return matrix.outcome(page.post(url, {"done": "1"}))
        case "api: mark done":
            body = {"done": True}
            return api.post(f"{API}{published}/done/", body, format="json").status_code
        case "page: new path":
            data = {"title": "A path", "step_1": world.published.pk}
            return matrix.outcome(page.post(reverse("hub:path_new"), data))
        case "api: list paths":
            return api.get("/api/v1/learning-paths/").status_code
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected


@pytest.mark.django_db
def test_a_refused_api_write_answers_problem_json(world):
    _page, api = world.clients("other")
    response = api.post(f"{API}{world.published.slug}/withdraw/", format="json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_drafts_are_not_listed_to_others_and_visitors_see_published_only(world):
    for role, expected in {
        "visitor": {world.published.slug},
        "other": {world.published.slug},
        "reviewer": {world.published.slug, world.in_review.slug},
        "author": {world.published.slug, world.in_review.slug, world.draft.slug},
    }.items():
        _page, api = world.clients(role)
        listed = {guide["slug"] for guide in api.get(API).json()["results"]}
        assert listed == expected, role
