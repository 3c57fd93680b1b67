"""Who may do what with offers and wants, through the pages and the API.

`poster` posted the post acted on (for their co-op, Camplight); `coop_admin` is an admin of
that co-op; `other` is a member of another co-op; network admins have no person of their own.
Token roles act as `other`: pages ignore tokens, so there a token holder is a visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from offers.models import Post, Reply
from tests import matrix
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES
from tests.offers.conftest import post_data

ROLES = ("visitor", "poster", "coop_admin", "other", "network_admin", *TOKEN_ROLES)

#                              visitor poster  c-admin other   n-admin tok-r   tok-w
MATRIX = {
    "page: read post": (200, 200, 200, 200, 200, 200, 200),
    "api: read post": (200, 200, 200, 200, 200, 200, 200),
    "page: open new form": (LOGIN, 200, 200, 200, 403, LOGIN, LOGIN),
    "api: post": (401, 201, 201, 201, 403, 403, 201),
    "page: edit": (LOGIN, SAVED, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: edit": (401, 200, 200, 403, 200, 403, 403),
    "page: fulfil": (LOGIN, SAVED, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: fulfil": (401, 200, 200, 403, 200, 403, 403),
    "page: reply": (LOGIN, 403, 403, SAVED, 403, LOGIN, LOGIN),
    "api: reply": (401, 403, 403, 201, 403, 403, 201),
    "api: read replies": (401, 200, 200, 200, 200, 200, 200),
    "page: read members-only post": (404, 200, 200, 200, 200, 404, 404),
}
READS = {"page: read post", "api: read post", "page: open new form", "api: read replies"}
READS |= {"page: read members-only post"}
# A reply is audited; posting and moving are too. Nothing here goes unaudited.
NOT_AUDITED: set[str] = set()


@dataclass(kw_only=True)
class World(matrix.Cast):
    post: Post
    hidden: Post


@pytest.fixture
def world(make_post, coop_admin, colleague, outsider, network_admin) -> World:
    post = make_post(colleague, for_coop=False)
    # The post speaks for the co-op: its admins manage it too.
    Post.objects.filter(pk=post.pk).update(organisation=colleague.organisation)
    post.refresh_from_db()
    Reply.objects.create(
        post=post, author=outsider, body="Interested", email_sent_at=post.created_at
    )
    hidden = make_post(colleague, visibility="members", title="Members only")
    return World(
        post=post,
        hidden=hidden,
        users={
            "poster": colleague.user,
            "coop_admin": coop_admin.user,
            "other": outsider.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=outsider.user),
    )


def _form(post: Post, **changes) -> dict:
    data = {key: str(value) for key, value in post_data(**changes).items()}
    return data | {"tags": "django"}


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    pk = world.post.pk
    match action:
        case "page: read post":
            return matrix.outcome(page.get(reverse("offers:detail", args=[pk])))
        case "api: read post":
            return api.get(f"/api/v1/offers/{pk}/").status_code
        case "page: open new form":
            return matrix.outcome(page.get(reverse("offers:new")))
        case "api: post":
            body = {k: str(v) for k, v in post_data(title="By the matrix").items()}
            return api.post("/api/v1/offers/", body, format="json").status_code
        case "page: edit":
            data = _form(world.post, title="Changed by the matrix")
            return matrix.outcome(page.post(reverse("offers:edit", args=[pk]), data))
        case "api: edit":
            body = {"title": "Changed by the matrix"}
            return api.patch(f"/api/v1/offers/{pk}/", body, format="json").status_code
        case "page: fulfil":
            return matrix.outcome(page.post(reverse("offers:fulfil", args=[pk])))
        case "api: fulfil":
            return api.post(f"/api/v1/offers/{pk}/fulfil/").status_code
        case "page: reply":
            url = reverse("offers:reply", args=[pk])
            return matrix.outcome(page.post(url, {"body": "From the matrix"}))
        case "api: reply":
            url = f"/api/v1/offers/{pk}/replies/"
            return api.post(url, {"body": "From the matrix"}, format="json").status_code
        case "api: read replies":
            return api.get(f"/api/v1/offers/{pk}/replies/").status_code
        case "page: read members-only post":
            return matrix.outcome(page.get(reverse("offers:detail", args=[world.hidden.pk])))
    raise AssertionError(action)


def _snapshot() -> dict:
    return {
        "posts": list(Post.objects.order_by("pk").values("pk", "title", "state")),
        "replies": list(Reply.objects.order_by("pk").values("pk", "body")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(
        action, expected, _snapshot, reads=READS, not_audited=NOT_AUDITED
    ):
        assert _run(action, world, role) == expected


@pytest.mark.django_db
def test_a_replier_reads_only_their_own_replies(world, coop_admin):
    from offers.selectors import replies_visible_to

    other = world.users["other"]
    assert [r.body for r in replies_visible_to(other, world.post)] == ["Interested"]
    assert list(replies_visible_to(coop_admin.user, world.post)) == list(world.post.replies.all())
