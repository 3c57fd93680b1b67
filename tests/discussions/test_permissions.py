"""Who may read, reply, edit, hide and close in a discussion, for each visibility: one table per
visibility, one row per action, one column per role. The thread is in the Finance circle and
has one reply by its author."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from discussions import services
from discussions.models import Comment, Thread
from polls.models import Poll
from tests.matrix import LOGIN, SAVED, Cast, cases, outcome, writes_as_allowed

ROLES = ("visitor", "network_member", "circle_member", "moderator", "author", "network_admin")
READS = {"page: read", "api: read", "page: history"}

#          visitor network circle moderator author n-admin
PUBLIC = {
    "page: read": (200, 200, 200, 200, 200, 200),
    "api: read": (200, 200, 200, 200, 200, 200),
    "page: history": (200, 200, 200, 200, 200, 200),
    "page: reply": (LOGIN, SAVED, SAVED, SAVED, SAVED, 403),
    "api: reply": (401, 201, 201, 201, 201, 403),
    "page: edit": (LOGIN, 403, 403, 403, SAVED, 403),
    "page: hide": (LOGIN, 403, 403, SAVED, 403, SAVED),
    "page: close": (LOGIN, 403, 403, SAVED, 403, SAVED),
    "page: add poll": (LOGIN, 403, 403, 403, SAVED, 403),
}
NETWORK = PUBLIC | {
    "page: read": (404, 200, 200, 200, 200, 200),
    "api: read": (404, 200, 200, 200, 200, 200),
    "page: history": (404, 200, 200, 200, 200, 200),
    "api: reply": (401, 201, 201, 201, 201, 403),
}
CIRCLE = NETWORK | {
    "page: read": (404, 404, 200, 200, 200, 200),
    "api: read": (404, 404, 200, 200, 200, 200),
    "page: history": (404, 404, 200, 200, 200, 200),
    "page: reply": (LOGIN, 404, SAVED, SAVED, SAVED, 403),
    "api: reply": (401, 404, 201, 201, 201, 403),
    "page: edit": (LOGIN, 404, 403, 403, SAVED, 403),
    "page: hide": (LOGIN, 404, 403, SAVED, 403, SAVED),
    "page: close": (LOGIN, 404, 403, SAVED, 403, SAVED),
    "page: add poll": (LOGIN, 404, 403, 403, SAVED, 403),
}
MATRICES = {"public": PUBLIC, "network": NETWORK, "circle": CIRCLE}
NOT_AUDITED: set[str] = set()
POLL = {
    "title": "Equal salaries?",
    "kind": "single",
    "options": "Yes\nNo",
    "closes_at": "2030-01-15T18:00",
    "slot_minutes": 90,
    "electorate": "all",
    "max_score": 5,
    "dots": 10,
}


@dataclass(kw_only=True)
class World(Cast):
    thread: Thread
    reply: Comment


def _world(visibility, circle, member, colleague, outsider, author, network_admin) -> World:
    thread = services.thread_start(
        actor=author.user,
        title="Do we have equal salaries?",
        body="Is that fair?",
        visibility=visibility,
        circle=circle,
    )
    reply = services.comment_post(actor=author.user, thread=thread, body="I think it is.")
    users = {
        "network_member": outsider.user,
        "circle_member": member.user,
        "moderator": colleague.user,
        "author": author.user,
        "network_admin": network_admin,
    }
    return World(thread=thread, reply=reply, users=users)


def _run(action: str, world: World, page, api):
    thread, reply = world.thread, world.reply
    match action:
        case "page: read":
            return outcome(page.get(thread.get_absolute_url()))
        case "api: read":
            return outcome(api.get(f"/api/v1/discussions/{thread.pk}/replies/"))
        case "page: history":
            return outcome(page.get(reverse("discussions:history", args=[reply.pk])))
        case "page: reply":
            url = reverse("discussions:reply", args=[thread.pk])
            return outcome(page.post(url, {"body": "Me too.", "parent": reply.pk}))
        case "api: reply":
            url = f"/api/v1/discussions/{thread.pk}/replies/"
            return outcome(api.post(url, {"body": "Me too."}, format="json"))
        case "page: edit":
            url = reverse("discussions:edit", args=[reply.pk])
            return outcome(page.post(url, {"body": "I think it is, mostly."}))
        case "page: hide":
            url = reverse("discussions:hide", args=[reply.pk])
            return outcome(page.post(url, {"reason": "Off topic"}))
        case "page: close":
            return outcome(page.post(reverse("discussions:close", args=[thread.pk])))
        case "page: add poll":
            url = reverse("discussions:poll_new", args=[thread.pk])
            return outcome(page.post(url, POLL))
    raise AssertionError(action)


def _snapshot():
    return (
        list(Comment.objects.order_by("pk").values_list("pk", "body", "hidden_at")),
        list(Thread.objects.values_list("pk", "closed_at", "reply_count", "poll_id")),
        list(Poll.objects.values_list("pk", "title")),
    )


def _all_cases():
    return [
        pytest.param(visibility, *case.values, id=f"{visibility}: {case.id}")
        for visibility, matrix in MATRICES.items()
        for case in cases(matrix, ROLES)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("visibility", "action", "role", "expected"), _all_cases())
def test_permission_matrix(
    visibility,
    action,
    role,
    expected,
    circle,
    member,
    colleague,
    outsider,
    author,
    network_admin,
):
    world = _world(visibility, circle, member, colleague, outsider, author, network_admin)
    page, api = world.clients(role)
    with writes_as_allowed(action, expected, _snapshot, reads=READS, not_audited=NOT_AUDITED):
        assert _run(action, world, page, api) == expected
