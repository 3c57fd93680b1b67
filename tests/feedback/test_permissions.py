"""Who may ask, read, answer and share feedback, through the pages: one row per action, one
column per role.

The request is `asker`'s (Mila), about a finished project, asked of `respondent` (Ivan);
`teammate` (Omar) is in the same team and was not asked; `other_member` (Ana) is in the network
outside the team; `network_admin` has no person of their own. `shared` is another request of the
asker's that they shared with the network's members. Every write the table forbids leaves the
database as it was, with no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pytest
from django.urls import reverse

from feedback import services
from feedback.models import FeedbackInvite, FeedbackRequest
from tests.matrix import LOGIN, SAVED, Cast, cases, outcome, writes_as_allowed
from tests.projects.factories import ProjectFactory, TeamMembershipFactory

SHOWN: Final = "SHOWN"
ABSENT: Final = "ABSENT"

ROLES = ("visitor", "asker", "respondent", "teammate", "other_member", "network_admin")
# "api: list" cells count the requests listed (401 when refused).

#                              visitor asker respondent teammate other n-admin
MATRIX = {
    "page: list": (LOGIN, 200, 200, 200, 200, 403),
    "page: read request": (404, 200, 200, 404, 404, 404),
    "page: read shared request": (404, 200, 200, 200, 200, 200),
    "page: open ask form": (LOGIN, 200, 200, 200, 200, 403),
    # Asking the teammate about the project: nobody asks themselves, nobody outside the team.
    "page: ask teammate": (LOGIN, SAVED, SAVED, 400, 404, 403),
    "page: open answer form": (LOGIN, 404, 200, 404, 404, 403),
    # The answer is the reader's own: nobody answers for the person asked.
    "page: answer": (LOGIN, 404, SAVED, 404, 404, 403),
    "page: share": (LOGIN, SAVED, 403, 404, 404, 404),
    # Those who read a shared request may not take it back: only the asker.
    "page: unshare": (LOGIN, SAVED, 403, 403, 403, 403),
    "person page: feedback received": (ABSENT, SHOWN, ABSENT, ABSENT, ABSENT, ABSENT),
    # The API lists the caller's own requests only, shared or not.
    "api: read request": (401, 200, 404, 404, 404, 404),
    "api: list": (401, 2, 0, 0, 0, 0),
}
READS = {
    "page: list",
    "page: read request",
    "page: read shared request",
    "page: open ask form",
    "page: open answer form",
    "person page: feedback received",
    "api: read request",
    "api: list",
}


@dataclass(kw_only=True)
class World(Cast):
    request: FeedbackRequest
    shared: FeedbackRequest
    project: object
    people: dict


@pytest.fixture
def world(member, colleague, outsider, coop_admin, network_admin) -> World:
    project = ProjectFactory(name="Member portal", status="finished")
    other = ProjectFactory(name="Shop", status="finished")
    for person in (member, colleague, outsider):
        TeamMembershipFactory(role__project=project, person=person)
    for person in (member, colleague):
        TeamMembershipFactory(role__project=other, person=person)
    request = services.feedback_request(actor=member.user, respondents=[colleague], project=project)
    shared = services.feedback_request(actor=member.user, respondents=[colleague], project=other)
    services.answer_submit(
        actor=colleague.user, invite=shared.invites.get(), went_well="Calm planning."
    )
    services.request_share(actor=member.user, request=shared, shared=True)
    return World(
        request=request,
        shared=shared,
        project=project,
        people={"asker": member, "teammate": outsider},
        users={
            "asker": member.user,
            "respondent": colleague.user,
            "teammate": outsider.user,
            "other_member": coop_admin.user,
            "network_admin": network_admin,
        },
    )


def _run(action: str, world: World, page, api):
    request, shared = world.request, world.shared
    match action:
        case "page: list":
            return outcome(page.get(reverse("feedback:list")))
        case "page: read request":
            return outcome(page.get(request.get_absolute_url()))
        case "page: read shared request":
            response = page.get(shared.get_absolute_url())
            if response.status_code == 200:
                assert "Calm planning." in response.content.decode()
            return outcome(response)
        case "page: open ask form":
            return outcome(page.get(reverse("feedback:ask")))
        case "page: ask teammate":
            data = {
                "project": world.project.pk,
                "respondents": [world.people["teammate"].pk],
                "days": 14,
            }
            return outcome(page.post(reverse("feedback:ask"), data))
        case "page: open answer form":
            return outcome(page.get(reverse("feedback:answer", args=[request.pk])))
        case "page: answer":
            url = reverse("feedback:answer", args=[request.pk])
            return outcome(
                page.post(url, {"went_well": "Good notes.", "to_change": "", "note": ""})
            )
        case "page: share":
            url = reverse("feedback:share", args=[request.pk])
            return outcome(page.post(url, {"shared": "1"}))
        case "page: unshare":
            url = reverse("feedback:share", args=[shared.pk])
            return outcome(page.post(url, {"shared": "0"}))
        case "person page: feedback received":
            html = page.get(world.people["asker"].get_absolute_url()).content.decode()
            return SHOWN if "Feedback received" in html else ABSENT
        case "api: read request":
            return outcome(api.get(f"/api/v1/feedback/{request.pk}/"))
        case "api: list":
            response = api.get("/api/v1/feedback/")
            return len(response.json()["results"]) if response.status_code == 200 else 401
    raise AssertionError(action)


def _snapshot():
    return (
        list(FeedbackRequest.objects.order_by("pk").values_list("pk", "shared")),
        list(
            FeedbackInvite.objects.order_by("pk").values_list(
                "pk", "respondent_id", "went_well", "answered_at"
            )
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    with writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page, api) == expected
