"""Who may do what with assemblies: every role against every action, pages and API.

Only network admins schedule, move and cancel; the facilitator and the note-taker record
(minutes, attendance, decisions, actions); coordinators post their circle's update; members
RSVP and propose items. Cells: a status code, LOGIN (sent to the login page) or SAVED (the page
saved and redirected). Every forbidden write leaves the database as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    Attendance,
    CircleUpdate,
    Decision,
    Rsvp,
)
from circles.models import Circle
from members.models import Person
from tests import matrix
from tests.circles.factories import CircleMembershipFactory
from tests.matrix import LOGIN, SAVED

pytestmark = pytest.mark.django_db

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

READS = {"page: open the live view", "api: list assemblies"}
# An RSVP is a person's own answer, not a record of the assembly: services do not audit it.
NOT_AUDITED = {"page: rsvp", "api: rsvp"}

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


@dataclass(kw_only=True)
class World(matrix.Cast):
    assembly: Assembly
    circle: Circle
    member: Person
    facilitator: Person


@pytest.fixture
def world(assembly, circle, member, coordinator, facilitator, note_taker, network_admin) -> World:
    CircleMembershipFactory(person=member)  # an active member: on the roster, counted for quorum
    return World(
        assembly=assembly,
        circle=circle,
        member=member,
        facilitator=facilitator,
        users={
            "member": member.user,
            "coordinator": coordinator.user,
            "facilitator": facilitator.user,
            "note_taker": note_taker.user,
            "network_admin": network_admin,
        },
    )


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


def _request(
    action: str, client: Client, api_client: APIClient, assembly, circle, member
) -> HttpResponse:
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


def _why(response: HttpResponse) -> object:
    """What to show when a cell is off: the form's errors, or the start of the body."""
    form = (response.context or {}).get("form")
    return form.errors if form is not None else response.content[:500]


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    assembly = world.assembly
    if action in IN_THE_MEETING:
        assembly = _meeting_with_quorum(assembly, world.facilitator)
    with matrix.writes_as_allowed(
        action, expected, _snapshot, reads=READS, not_audited=NOT_AUDITED
    ):
        response = _request(action, page, api, assembly, world.circle, world.member)
        assert matrix.outcome(response) == expected, _why(response)
