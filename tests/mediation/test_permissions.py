"""Who may do what with a mediation case, through the pages. There is no API for cases.

Columns: `requester` opened the case; `involved` is named in it; `mediator` is in the Mediation
circle; `involved_mediator` is in it too but named in the case; `network_admin` is staff and no
mediator. A case the reader may not read is a 404, so its existence is never confirmed; a page
that asks for a role the reader lacks is a 403. Every write the table forbids leaves the
database as it was (no case, note, event or audit event)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from mediation import services
from mediation.models import Case, CaseEvent, CaseNote
from tests import matrix
from tests.circles.factories import CircleMembershipFactory
from tests.factories import PersonFactory
from tests.matrix import LOGIN, SAVED
from tests.mediation.conftest import LONG_AGO, SECRET, next_week

ROLES = ("visitor", "requester", "involved", "mediator", "involved_mediator", "network_admin")

#                          visitor requester involved mediator inv-med n-admin
MATRIX = {
    "page: my cases": (LOGIN, 200, 200, 200, 200, 200),
    "page: open form": (LOGIN, 200, 200, 200, 200, 403),
    "page: open a case": (LOGIN, SAVED, SAVED, SAVED, SAVED, 403),
    "page: queue": (LOGIN, 403, 403, 200, 200, 403),
    "page: read case": (LOGIN, 200, 404, 200, 404, 404),
    "page: meeting ics": (LOGIN, 200, 404, 200, 404, 404),
    "page: move case": (LOGIN, 403, 404, SAVED, 404, 404),
    "page: schedule meeting": (LOGIN, 403, 404, SAVED, 404, 404),
    "page: add note": (LOGIN, SAVED, 404, SAVED, 404, 404),
}
READS = {"page: my cases", "page: open form", "page: queue", "page: read case", "page: meeting ics"}
SHOWS_CASE = {"page: read case", "page: meeting ics"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    case: Case
    bystander: object


@pytest.fixture
def world(case, member, outsider, colleague, coop_admin, network_admin) -> World:
    services.case_schedule_meeting(
        actor=colleague.user, case=case, at=next_week(), minutes=60, place="Room 2"
    )
    return World(
        case=case,
        bystander=PersonFactory(display_name="Bea Bystander"),
        users={
            "requester": member.user,
            "involved": outsider.user,
            "mediator": colleague.user,
            "involved_mediator": coop_admin.user,
            "network_admin": network_admin,
        },
    )


def _snapshot():
    return (
        list(Case.objects.order_by("pk").values_list("pk", "state", "meeting_at")),
        CaseNote.objects.count(),
        CaseEvent.objects.count(),
    )


def _run(action: str, world: World, page) -> matrix.Outcome:
    pk = world.case.pk
    match action:
        case "page: my cases":
            response = page.get(reverse("mediation:mine"))
        case "page: open form":
            response = page.get(reverse("mediation:new"))
        case "page: open a case":
            response = page.post(
                reverse("mediation:new"),
                {
                    "involved": [world.bystander.pk],
                    "what_happened": "Words were said.",
                    "hoped_for": "Peace.",
                },
            )
        case "page: queue":
            response = page.get(reverse("mediation:queue"))
        case "page: read case":
            response = page.get(reverse("mediation:case", args=[pk]))
        case "page: meeting ics":
            response = page.get(reverse("mediation:meeting_ics", args=[pk]))
        case "page: move case":
            response = page.post(reverse("mediation:move", args=[pk]), {"state": "in_mediation"})
        case "page: schedule meeting":
            at = next_week().replace(hour=9, minute=30) + datetime.timedelta(days=1)
            response = page.post(
                reverse("mediation:meeting", args=[pk]),
                {"at": at.strftime("%Y-%m-%dT%H:%M"), "minutes": "90", "place": "Room 3"},
            )
        case "page: add note":
            response = page.post(reverse("mediation:note", args=[pk]), {"body": "A note."})
        case _:
            raise AssertionError(action)
    result = matrix.outcome(response)
    if action in SHOWS_CASE and result != 200:
        assert SECRET.encode() not in response.content
    if action == "page: read case" and result == 200:
        assert SECRET.encode() in response.content
    return result


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, _api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page) == expected


@pytest.mark.django_db
def test_an_admin_is_no_reader_of_cases_until_they_also_mediate(
    client, case, network_admin, mediation_circle
):
    url = reverse("mediation:case", args=[case.pk])
    client.force_login(network_admin)
    assert client.get(url).status_code == 404
    assert client.get(reverse("mediation:queue")).status_code == 403

    admin_person = PersonFactory(display_name="Ada Admin", user=network_admin)
    CircleMembershipFactory(circle=mediation_circle, person=admin_person, start_date=LONG_AGO)
    response = client.get(url)
    assert response.status_code == 200
    assert SECRET.encode() in response.content


@pytest.mark.django_db
def test_the_queue_lists_no_case_that_names_the_mediator_nor_their_own(
    client, open_case, colleague, coop_admin, outsider, member
):
    names_ivan = open_case(involved=[colleague])
    by_ivan = open_case(requester=colleague, involved=[outsider])
    plain = open_case(involved=[outsider])
    client.force_login(colleague.user)
    listed = {c.pk for c in client.get(reverse("mediation:queue")).context["open_cases"]}
    assert listed == {plain.pk}
    client.force_login(coop_admin.user)
    listed = {c.pk for c in client.get(reverse("mediation:queue")).context["open_cases"]}
    assert listed == {names_ivan.pk, by_ivan.pk, plain.pk}
    # Ivan reads his own request as its requester, but does not mediate it.
    client.force_login(colleague.user)
    page = client.get(reverse("mediation:case", args=[by_ivan.pk]))
    assert page.status_code == 200 and not page.context["moves"]
