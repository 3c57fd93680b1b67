"""Only the recipient sees and marks their notifications: one row per action, one column per
role. The notification is the member's; acting on it as anyone else is a 404, as for an id
that does not exist."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from notifications.models import Notification
from tests.matrix import LOGIN, SAVED, Cast, cases, outcome, writes_as_allowed

ROLES = ("visitor", "recipient", "colleague", "coop_admin", "network_admin")
READS = {"page: list", "page: list shows it"}
# Reading one's notifications is one's own state, never audited (notifications.services).
NOT_AUDITED = {"page: mark read"}
SHOWN, ABSENT = "shown", "absent"

#          visitor recipient colleague coop-admin n-admin
MATRIX = {
    "page: list": (LOGIN, 200, 200, 200, 200),
    "page: list shows it": (LOGIN, SHOWN, ABSENT, ABSENT, ABSENT),
    "page: mark read": (LOGIN, SAVED, 404, 404, 404),
}


@dataclass(kw_only=True)
class World(Cast):
    notification: Notification


@pytest.fixture
def world(member, colleague, coop_admin, network_admin, event) -> World:
    event(member, "Reply for Mila")
    return World(
        notification=Notification.objects.get(recipient=member),
        users={
            "recipient": member.user,
            "colleague": colleague.user,
            "coop_admin": coop_admin.user,
            "network_admin": network_admin,
        },
    )


def _snapshot():
    return sorted(Notification.objects.values_list("pk", "read_at"))


def _run(action, world, page):
    notification = world.notification
    match action:
        case "page: list":
            return outcome(page.get("/notifications/"))
        case "page: list shows it":
            response = page.get("/notifications/")
            if response.status_code != 200:
                return outcome(response)
            return SHOWN if "Reply for Mila" in response.content.decode() else ABSENT
        case "page: mark read":
            return outcome(page.post(f"/notifications/{notification.pk}/read/"))
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, _api = world.clients(role)
    with writes_as_allowed(action, expected, _snapshot, reads=READS, not_audited=NOT_AUDITED):
        assert _run(action, world, page) == expected
    if role != "recipient":
        world.notification.refresh_from_db()
        assert world.notification.read_at is None  # nobody else ever marks it


@pytest.mark.django_db
def test_marking_all_read_marks_only_ones_own(world, colleague, event, login, client):
    event(colleague, "Ivan's own reply")
    assert client.post("/notifications/read-all/")["Location"].startswith("/accounts/login/")
    assert login(colleague.user).post("/notifications/read-all/").status_code == 302
    world.notification.refresh_from_db()
    assert world.notification.read_at is None
    assert Notification.objects.get(recipient=colleague).read_at is not None
