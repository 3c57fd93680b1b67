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

import pytest
from django.test import Client
from rest_framework.test import APIClient

from intake.models import HelpRequest
from projects.models import Opportunity

LOGIN, SAVED = "LOGIN", "SAVED"

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

WRITES = {"answer", "decline", "convert"}


def _cases(table):
    return [
        pytest.param(action, role, expected, id=f"{action}-{role}")
        for action, row in table.items()
        for role, expected in zip(ROLES, row, strict=True)
    ]


@pytest.fixture
def actors(db, member, other_coordinator, triager, network_admin, admin_person, token_for):
    """role -> (page client, api client)."""

    def logged_in(user):
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_login(user)
        return page, api

    return {
        "visitor": (Client(), APIClient()),
        "member": logged_in(member.user),
        "other_coordinator": logged_in(other_coordinator.user),
        "triager": logged_in(triager.user),
        "network_admin": logged_in(network_admin),
        "admin_person": logged_in(admin_person.user),
        "token_read": (Client(), token_for(network_admin, "read")),
        "token_write": (Client(), token_for(network_admin, "write")),
        "member_token": (Client(), token_for(member.user, "read")),
    }


def _snapshot(help_request):
    row = HelpRequest.objects.get(pk=help_request.pk)
    return (row.status, row.answer, row.decline_reason, row.handled_by_id, row.opportunity_id)


@pytest.mark.parametrize(("action", "role", "expected"), _cases(PAGES))
def test_pages(action, role, expected, actors, help_request, triage_circle):
    client = actors[role][0]
    base = f"/request-help/{help_request.pk}/"
    before = _snapshot(help_request)
    response = {
        "list": lambda: client.get("/request-help/inbox/"),
        "read": lambda: client.get(base),
        "answer": lambda: client.post(base + "answer/", {"answer": "We can help."}),
        "decline": lambda: client.post(base + "decline/", {"decline_reason": "Out of scope."}),
        "convert": lambda: client.post(base + "convert/", {"circle": triage_circle.pk}),
    }[action]()

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == SAVED:
        assert response.status_code == 302
        assert not response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if expected in (200, SAVED) and action in {"list", "read"}:
        assert "Olla Popular Cerro" in response.content.decode()
    if expected != SAVED and action in WRITES:
        assert _snapshot(help_request) == before
    if expected == SAVED:
        help_request.refresh_from_db()
        assert (
            help_request.status
            == {"answer": "answered", "decline": "declined", "convert": "converted"}[action]
        )


@pytest.mark.parametrize(("action", "role", "expected"), _cases(API))
def test_api(action, role, expected, actors, help_request, triage_circle):
    client = actors[role][1]
    base = f"/api/v1/help-requests/{help_request.pk}/"
    before = _snapshot(help_request)
    response = {
        "list": lambda: client.get("/api/v1/help-requests/"),
        "read": lambda: client.get(base),
        "answer": lambda: client.post(base + "answer/", {"answer": "We can help."}),
        "decline": lambda: client.post(base + "decline/", {"decline_reason": "Out of scope."}),
        "convert": lambda: client.post(base + "convert/", {"circle": triage_circle.slug}),
    }[action]()

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"].startswith("application/problem+json")
        assert "rosa@olla.example" not in response.content.decode()
    else:
        assert "rosa@olla.example" in response.content.decode()
    if expected >= 400 and action in WRITES:
        assert _snapshot(help_request) == before
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
