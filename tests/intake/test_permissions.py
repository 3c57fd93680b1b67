"""Who may read and act on requests for help: every role against every action, pages and API.

Each cell is what the role gets: a status code, LOGIN (the page sends them to log in) or SAVED
(the page did it and redirected). Requests hold personal data: only the coordinators of a circle
that triages requests and network admins see them. An opportunity is posted by a person, so a
network admin account without a person of the network cannot convert (it can do the rest).
Tokens belong to network admins (`token_read`, `token_write`); `member_token` is a read token of
a plain member. Pages ignore tokens, so on pages a token holder is a visitor.

Every write the table forbids leaves the request exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.test import Client

from accounts.models import ApiToken
from circles.models import Circle
from intake.models import HelpRequest
from projects.models import Opportunity
from tests import matrix
from tests.matrix import LOGIN, SAVED

ROLES = (
    "visitor",
    "member",
    "other_coordinator",
    "triager",
    "network_admin",
    "admin_person",
    "token_read",
    "token_write",
    "member_token",
)

#                     visitor member other-c triager n-admin a-pers  tok-r   tok-w   mem-tok
PAGES = {
    "list": (LOGIN, 403, 403, 200, 200, 200, LOGIN, LOGIN, LOGIN),
    "read": (LOGIN, 403, 403, 200, 200, 200, LOGIN, LOGIN, LOGIN),
    "answer": (LOGIN, 403, 403, SAVED, SAVED, SAVED, LOGIN, LOGIN, LOGIN),
    "decline": (LOGIN, 403, 403, SAVED, SAVED, SAVED, LOGIN, LOGIN, LOGIN),
    "convert": (LOGIN, 403, 403, SAVED, 403, SAVED, LOGIN, LOGIN, LOGIN),
}
API = {
    "list": (401, 403, 403, 200, 200, 200, 200, 200, 403),
    "read": (401, 403, 403, 200, 200, 200, 200, 200, 403),
    "answer": (401, 403, 403, 200, 200, 200, 403, 200, 403),
    "decline": (401, 403, 403, 200, 200, 200, 403, 200, 403),
    "convert": (401, 403, 403, 201, 403, 201, 403, 403, 403),
}

READS = {"list", "read"}
IDS = "{action}-{role}"
STATUS_AFTER = {"answer": "answered", "decline": "declined", "convert": "converted"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    help_request: HelpRequest
    triage_circle: Circle

    def snapshot(self) -> tuple:
        """What a write to the request would change."""
        row = HelpRequest.objects.get(pk=self.help_request.pk)
        return (row.status, row.answer, row.decline_reason, row.handled_by_id, row.opportunity_id)


@pytest.fixture
def world(
    member, other_coordinator, triager, network_admin, admin_person, help_request, triage_circle
) -> World:
    return World(
        help_request=help_request,
        triage_circle=triage_circle,
        users={
            "member": member.user,
            "other_coordinator": other_coordinator.user,
            "triager": triager.user,
            "network_admin": network_admin,
            "admin_person": admin_person.user,
        },
        secrets=matrix.api_tokens(created_by=network_admin, user=network_admin)
        | matrix.api_tokens(
            created_by=network_admin,
            user=member.user,
            scopes={"member_token": ApiToken.Scope.READ},
        ),
    )


def _act(world: World, action: str, client: Client, *, door: str) -> HttpResponse:
    """The same action through either door: the triage pages (`door="page"`) or the API."""
    pk, circle = world.help_request.pk, world.triage_circle
    if door == "api":
        inbox, base, circle_field = (
            "/api/v1/help-requests/",
            f"/api/v1/help-requests/{pk}/",
            circle.slug,
        )
    else:
        inbox, base, circle_field = "/request-help/inbox/", f"/request-help/{pk}/", circle.pk
    match action:
        case "list":
            return client.get(inbox)
        case "read":
            return client.get(base)
        case "answer":
            return client.post(base + "answer/", {"answer": "We can help."})
        case "decline":
            return client.post(base + "decline/", {"decline_reason": "Out of scope."})
        case "convert":
            return client.post(base + "convert/", {"circle": circle_field})
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(PAGES, ROLES, id=IDS))
def test_pages(world, action, role, expected):
    page, _api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, world.snapshot, reads=READS):
        response = _act(world, action, page, door="page")
        assert matrix.outcome(response) == expected
    if action in READS and expected == 200:
        assert "Olla Popular Cerro" in response.content.decode()
    if action not in READS and expected == SAVED:
        assert world.snapshot()[0] == STATUS_AFTER[action]


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(API, ROLES, id=IDS))
def test_api(world, action, role, expected):
    _page, api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, world.snapshot, reads=READS):
        response = _act(world, action, api, door="api")
        assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"].startswith("application/problem+json")
        assert "rosa@olla.example" not in response.content.decode()
    else:
        assert "rosa@olla.example" in response.content.decode()
    if action not in READS and expected < 400:
        assert world.snapshot()[0] == STATUS_AFTER[action]
    if action == "convert" and expected == 201:
        assert Opportunity.objects.get(pk=response.json()["opportunity"]).status == "draft"


def test_a_coordinator_whose_term_has_ended_no_longer_sees_the_inbox(
    client, triager, triage_circle
):
    import datetime as dt

    membership = triage_circle.memberships.get(person=triager)
    membership.start_date = dt.date(2020, 1, 1)
    membership.end_date = dt.date(2021, 1, 1)
    membership.save(update_fields=["start_date", "end_date"])
    client.force_login(triager.user)
    assert client.get("/request-help/inbox/").status_code == 403
