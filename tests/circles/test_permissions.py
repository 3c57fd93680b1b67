"""Who may do what with circles, through the pages and the API.

Each row is an action, each column a role, each cell what that role gets:
- a status code (200, 201, 401, 403),
- LOGIN: the page sends them to the login page (302),
- SAVED: the page saved the change and redirected (302 somewhere other than the login page),
- N_A: the action means nothing for this role.

`coordinator` coordinates the circle acted on (Job opportunities); `other_coordinator`
coordinates another circle (Finance); `member` is in no circle. Token roles send
`Authorization: Bearer …` for a token of `coordinator`: pages ignore tokens, so there a token
holder is a visitor. Every write the table forbids leaves the database as it was (no audit
event, no membership, no changed circle).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from circles.models import Circle, CircleMembership, MembershipRequest
from tests import matrix
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleMembershipFactory
from tests.factories import PersonFactory
from tests.matrix import LOGIN, N_A, SAVED, TOKEN_ROLES

ROLES = ("visitor", "member", "coordinator", "other_coordinator", "network_admin", *TOKEN_ROLES)

#                              visitor member  coord   other-c n-admin tok-r   tok-w
MATRIX = {
    "page: open edit form": (LOGIN, 403, 200, 403, 200, LOGIN, LOGIN),
    "page: edit circle": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: edit circle": (401, 403, 200, 403, 200, 403, 200),
    "page: open members": (LOGIN, 403, 200, 403, 200, LOGIN, LOGIN),
    "page: add member": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: add member": (401, 403, 201, 403, 201, 403, 201),
    "page: change role": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: change role": (401, 403, 200, 403, 200, 403, 200),
    "page: end membership": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: end membership": (401, 403, 200, 403, 200, 403, 200),
    "page: decide request": (LOGIN, 403, SAVED, 403, SAVED, LOGIN, LOGIN),
    # Network admins have no person of their own: coordinators add them instead.
    "page: ask to join": (LOGIN, SAVED, N_A, SAVED, 403, LOGIN, LOGIN),
    "page: open new circle": (LOGIN, 403, 403, 403, 200, LOGIN, LOGIN),
    "page: create circle": (LOGIN, 403, 403, 403, SAVED, LOGIN, LOGIN),
    "api: create circle": (401, 403, 403, 403, 201, 403, 403),
    "api: read circle": (200, 200, 200, 200, 200, 200, 200),
}

READS = {"page: open edit form", "page: open members", "page: open new circle", "api: read circle"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    circle: Circle
    other_circle: Circle
    people: dict


@pytest.fixture
def world(circle, other_circle, coordinator, outsider, member, coop_admin, network_admin) -> World:
    the_member = CircleMembershipFactory(circle=circle, person=coop_admin, start_date=LONG_AGO)
    pending = MembershipRequest.objects.create(
        circle=circle, person=PersonFactory(organisation=coop_admin.organisation), kind="join"
    )
    return World(
        circle=circle,
        other_circle=other_circle,
        people={"newcomer": member, "in_circle": the_member, "pending": pending},
        users={
            "member": member.user,
            "coordinator": coordinator.user,
            "other_coordinator": outsider.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(created_by=network_admin, user=coordinator.user),
    )


def _circle_data(circle: Circle, **changes) -> dict:
    return {
        "name": circle.name,
        "purpose": circle.purpose,
        "domain": circle.domain,
        "accountabilities": "\n".join(circle.accountabilities),
        "meeting_rhythm": circle.meeting_rhythm,
        "status": circle.status,
    } | changes


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    circle, slug = world.circle, world.circle.slug
    in_circle = world.people["in_circle"]
    newcomer = world.people["newcomer"]
    match action:
        case "page: open edit form":
            return matrix.outcome(page.get(reverse("circles:edit", args=[slug])))
        case "page: edit circle":
            data = _circle_data(circle, purpose="Changed by the matrix")
            return matrix.outcome(page.post(reverse("circles:edit", args=[slug]), data))
        case "api: edit circle":
            body = {"purpose": "Changed by the matrix"}
            return api.patch(f"/api/v1/circles/{slug}/", body, format="json").status_code
        case "page: open members":
            return matrix.outcome(page.get(reverse("circles:members", args=[slug])))
        case "page: add member":
            data = {
                "add-person": newcomer.pk,
                "add-role": "member",
                "add-hours_per_month": 2,
                "add-start_date": "2025-03-01",
            }
            return matrix.outcome(page.post(reverse("circles:members", args=[slug]), data))
        case "api: add member":
            body = {"circle": slug, "person": {"id": newcomer.pk}}
            return api.post("/api/v1/circle-memberships/", body, format="json").status_code
        case "page: change role":
            prefix = f"m{in_circle.pk}"
            data = {f"{prefix}-role": "secretary", f"{prefix}-hours_per_month": 3}
            url = reverse("circles:membership_change", args=[slug, in_circle.pk])
            return matrix.outcome(page.post(url, data))
        case "api: change role":
            url = f"/api/v1/circle-memberships/{in_circle.pk}/"
            return api.patch(url, {"role": "secretary"}, format="json").status_code
        case "page: end membership":
            url = reverse("circles:membership_end", args=[slug, in_circle.pk])
            return matrix.outcome(page.post(url, {}))
        case "api: end membership":
            url = f"/api/v1/circle-memberships/{in_circle.pk}/end/"
            return api.post(url, {}, format="json").status_code
        case "page: decide request":
            url = reverse("circles:request_decide", args=[slug, world.people["pending"].pk])
            return matrix.outcome(page.post(url, {"decision": "approve"}))
        case "page: ask to join":
            url = reverse("circles:request", args=[slug])
            return matrix.outcome(page.post(url, {"kind": "join"}))
        case "page: open new circle":
            return matrix.outcome(page.get(reverse("circles:new")))
        case "page: create circle":
            data = _circle_data(circle, name="Matrix circle")
            return matrix.outcome(page.post(reverse("circles:new"), data))
        case "api: create circle":
            body = {"name": "Matrix circle", "purpose": "Made by the matrix"}
            return api.post("/api/v1/circles/", body, format="json").status_code
        case "api: read circle":
            return api.get(f"/api/v1/circles/{slug}/").status_code
    raise AssertionError(action)


def _snapshot() -> dict:
    return {
        "circles": list(Circle.objects.order_by("pk").values()),
        "memberships": list(CircleMembership.objects.order_by("pk").values()),
        "requests": list(MembershipRequest.objects.order_by("pk").values("pk", "status")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected
