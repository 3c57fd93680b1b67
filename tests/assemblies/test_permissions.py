"""Who may do what with assemblies: every role against every action, pages and API.

Only network admins schedule, move and cancel; the facilitator and the note-taker record
(minutes, attendance, decisions, actions); coordinators post their circle's update; members
RSVP and propose items. Cells: a status code, LOGIN (sent to the login page) or SAVED (the page
saved and redirected). Every forbidden write leaves the database as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    Attendance,
    CircleUpdate,
    Decision,
    Rsvp,
)
from tests.circles.factories import CircleMembershipFactory

pytestmark = pytest.mark.django_db

LOGIN, SAVED = "LOGIN", "SAVED"
ROLES = ("visitor", "member", "coordinator", "facilitator", "note_taker", "network_admin")

#                                visitor member  coord   facil   notes   n-admin
MATRIX = {
    "page: schedule": (LOGIN, 403, 403, 403, 403, SAVED),
    "page: move": (LOGIN, 403, 403, 403, 403, SAVED),
    "page: cancel": (LOGIN, 403, 403, 403, 403, SAVED),
    "page: open the live view": (LOGIN, 403, 403, 200, 200, 200),
    "page: record a decision": (LOGIN, 403, 403, SAVED, SAVED, SAVED),
    "page: record an action": (LOGIN, 403, 403, SAVED, SAVED, SAVED),
    "page: mark attendance": (LOGIN, 403, 403, SAVED, SAVED, SAVED),
    "page: publish the agenda": (LOGIN, 403, 403, SAVED, 403, SAVED),
    "page: post circle update": (LOGIN, 403, SAVED, 403, 403, SAVED),
    "page: rsvp": (LOGIN, SAVED, SAVED, SAVED, SAVED, 403),
    "page: propose an item": (LOGIN, SAVED, SAVED, SAVED, SAVED, 403),
    "api: schedule": (401, 403, 403, 403, 403, 201),
    "api: record a decision": (401, 403, 403, 201, 201, 201),
    "api: post circle update": (401, 403, 201, 403, 403, 201),
    "api: rsvp": (401, 200, 200, 200, 200, 403),
    "api: propose an item": (401, 201, 201, 201, 201, 403),
    "api: list assemblies": (401, 200, 200, 200, 200, 200),
}

# Attendance and decisions are taken in the open meeting, decisions with quorum.
IN_THE_MEETING = {"page: record a decision", "page: mark attendance", "api: record a decision"}


def _meeting_with_quorum(assembly, facilitator):
    """Open the assembly today with everyone on the roster present. The circle rule decides
    who is active (the coordinator, by their circle membership)."""
    from assemblies import selectors, services
    from circles.services import participation_refresh

    participation_refresh()
    Assembly.objects.filter(pk=assembly.pk).update(start=timezone.now())
    assembly.refresh_from_db()
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="open")
    services.attendance_set(
        actor=facilitator.user, assembly=assembly, people=list(selectors.roster(assembly))
    )
    return assembly


CASES = [
    pytest.param(action, role, expected, id=f"{action} | {role} -> {expected}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def _snapshot() -> tuple:
    models = (Assembly, AgendaItem, CircleUpdate, Rsvp, Attendance, Decision, ActionItem)
    return (
        *(m.objects.count() for m in models),
        Assembly.objects.filter(status="cancelled").count(),
        Assembly.objects.filter(agenda_published_at__isnull=False).count(),
        tuple(Assembly.objects.values_list("start", flat=True).order_by("pk")),
    )


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _request(action: str, client, api_client, assembly, circle, member):
    pk = assembly.pk
    later = _local(timezone.now() + timedelta(days=40))
    pages = {
        "page: schedule": (
            "post",
            reverse("assemblies:new"),
            {"title": "July", "start": later, "duration_minutes": 90},
        ),
        "page: move": (
            "post",
            reverse("assemblies:edit", args=[pk]),
            {
                "title": assembly.title,
                "start": later,
                "duration_minutes": 90,
                "link": assembly.link,
            },
        ),
        "page: cancel": ("post", reverse("assemblies:cancel", args=[pk]), {}),
        "page: open the live view": ("get", reverse("assemblies:run", args=[pk]), None),
        "page: record a decision": (
            "post",
            reverse("assemblies:run_decision", args=[pk]),
            {
                "decision-text": "We meet monthly.",
                "decision-method": "consent",
                "decision-outcome": "adopted",
            },
        ),
        "page: record an action": (
            "post",
            reverse("assemblies:run_action", args=[pk]),
            {"action-description": "Book the room", "action-owner": member.pk},
        ),
        "page: mark attendance": (
            "post",
            reverse("assemblies:run_attendance", args=[pk]),
            {"people": []},
        ),
        "page: publish the agenda": ("post", reverse("assemblies:agenda_publish", args=[pk]), {}),
        "page: post circle update": (
            "post",
            reverse("assemblies:circle_update", args=[pk, circle.slug]),
            {"done": "Servers moved."},
        ),
        "page: rsvp": ("post", reverse("assemblies:rsvp", args=[pk]), {"answer": "going"}),
        "page: propose an item": (
            "post",
            reverse("assemblies:propose", args=[pk]),
            {"kind": "discussion", "title": "Holidays", "time_box_minutes": 10},
        ),
    }
    if action in pages:
        method, url, data = pages[action]
        return getattr(client, method)(url, data) if data is not None else client.get(url)
    api = {
        "api: schedule": (
            "post",
            "/api/v1/assemblies/",
            {"title": "July", "start": (timezone.now() + timedelta(days=40)).isoformat()},
        ),
        "api: record a decision": (
            "post",
            "/api/v1/decisions/",
            {"assembly": pk, "text": "Yes.", "method": "consent", "outcome": "adopted"},
        ),
        "api: post circle update": (
            "post",
            "/api/v1/circle-updates/",
            {"assembly": pk, "circle": circle.slug, "done": "Servers moved."},
        ),
        "api: rsvp": ("post", f"/api/v1/assemblies/{pk}/rsvp/", {"answer": "maybe"}),
        "api: propose an item": (
            "post",
            "/api/v1/agenda-items/",
            {"assembly": pk, "kind": "discussion", "title": "Holidays"},
        ),
        "api: list assemblies": ("get", "/api/v1/assemblies/", None),
    }
    method, url, data = api[action]
    if method == "get":
        return api_client.get(url)
    return api_client.post(url, data, format="json")


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(
    action,
    role,
    expected,
    request,
    client,
    api_client,
    assembly,
    circle,
    member,
    coordinator,
    facilitator,
    note_taker,
    network_admin,
):
    CircleMembershipFactory(person=member)  # an active member: on the roster, counted for quorum
    people = {
        "member": member,
        "coordinator": coordinator,
        "facilitator": facilitator,
        "note_taker": note_taker,
    }
    user = (
        network_admin if role == "network_admin" else people[role].user if role in people else None
    )
    if user is not None:
        client.force_login(user)
        api_client.force_authenticate(user)
    if action in IN_THE_MEETING:
        assembly = _meeting_with_quorum(assembly, facilitator)
    before = _snapshot()

    response = _request(action, client, api_client, assembly, circle, member)

    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == SAVED:
        assert response.status_code == 302, getattr(response, "context", None) and [
            f.errors for f in response.context.get("form", []) or []
        ]
        assert "/accounts/login/" not in response["Location"]
        assert _snapshot() != before
    else:
        assert response.status_code == expected, response.content[:500]
    if expected in (LOGIN, 401, 403):
        assert _snapshot() == before
