"""Who may delegate a vote, revoke it, suggest corrections to draft minutes, decide on them,
publish and approve minutes, volunteer and confirm the rotation: every role against every
action, on the pages and in the API. Cells: a status code, LOGIN or SAVED (see tests.matrix).

The cast: the delegator has given their vote to the delegate in a planned assembly; both were
present at a closed assembly whose draft minutes wait on one suggestion. The other member was
at neither. The admin is an account of no person of the network."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from assemblies import services
from assemblies.models import (
    Assembly,
    Correction,
    Minutes,
    SeriesVolunteer,
    VoteDelegation,
)
from circles.models import CircleMembership
from circles.services import participation_refresh
from members.models import Person
from tests import matrix
from tests.assemblies.factories import AssemblyFactory, SeriesFactory
from tests.factories import PersonFactory
from tests.matrix import LOGIN, SAVED

pytestmark = pytest.mark.django_db

ROLES = (
    "visitor",
    "delegator",
    "delegate",
    "member",
    "facilitator",
    "note_taker",
    "network_admin",
)

#                            visitor deleg-r deleg-e member facil notes n-admin
MATRIX = {
    "page: delegate a vote": (LOGIN, 400, 400, SAVED, SAVED, SAVED, 403),
    "page: revoke the delegation": (LOGIN, SAVED, 400, 400, 400, 400, 403),
    "page: suggest a correction": (LOGIN, SAVED, SAVED, 403, 403, 403, 403),
    "page: accept a suggestion": (LOGIN, 403, 403, 403, SAVED, 403, SAVED),
    "page: publish the draft minutes": (LOGIN, 403, 403, 403, 403, SAVED, SAVED),
    "page: approve the minutes": (LOGIN, 403, 403, 403, SAVED, 403, SAVED),
    "page: volunteer for the rotation": (LOGIN, SAVED, SAVED, SAVED, SAVED, SAVED, 403),
    "page: confirm the rotation": (LOGIN, 403, 403, 403, 403, 403, SAVED),
    "api: delegate a vote": (401, 400, 400, 201, 201, 201, 403),
    "api: revoke the delegation": (401, 204, 400, 400, 400, 400, 403),
    "api: suggest a correction": (401, 201, 201, 403, 403, 403, 403),
    "api: reject a suggestion": (401, 403, 403, 403, 200, 403, 200),
    "api: publish the draft minutes": (401, 403, 403, 403, 403, 201, 201),
    "api: approve the minutes": (401, 403, 403, 403, 200, 403, 200),
    "api: confirm the rotation": (401, 403, 403, 403, 403, 403, 200),
    "api: read the quorum": (401, 200, 200, 200, 200, 200, 200),
}
READS = {"api: read the quorum"}


@dataclass(kw_only=True)
class World(matrix.Cast):
    planned: Assembly
    with_suggestion: Assembly
    quiet: Assembly
    bare: Assembly
    suggestion: Correction
    free: Person
    facilitator: Person
    note_taker: Person


@pytest.fixture
def world(coop, circle, member, facilitator, note_taker, network_admin) -> World:
    delegator = PersonFactory(organisation=coop, display_name="Dee Delegator")
    delegate = PersonFactory(organisation=coop, display_name="Del Delegate")
    free = PersonFactory(organisation=coop, display_name="Fran Free")
    for person in (delegator, delegate, free, member, facilitator, note_taker):
        CircleMembership.objects.get_or_create(circle=circle, person=person)
    participation_refresh()
    roles = {"facilitator": facilitator, "note_taker": note_taker}
    series = SeriesFactory()
    planned = AssemblyFactory(series=series, **roles)
    services.delegate_vote(actor=delegator.user, assembly=planned, delegate=delegate)

    def closed(with_minutes: bool) -> Assembly:
        assembly = AssemblyFactory(status=Assembly.Status.CLOSED, **roles)
        assembly.attendances.create(person=delegator)
        assembly.attendances.create(person=delegate)
        if with_minutes:
            services.minutes_publish(actor=note_taker.user, assembly=assembly, text="We met.")
        return assembly

    with_suggestion, quiet, bare = closed(True), closed(True), closed(False)
    suggestion = services.correction_suggest(
        actor=delegator.user, assembly=with_suggestion, text="We met online.", reason="We did."
    )
    return World(
        planned=planned,
        with_suggestion=with_suggestion,
        quiet=quiet,
        bare=bare,
        suggestion=suggestion,
        free=free,
        facilitator=facilitator,
        note_taker=note_taker,
        users={
            "delegator": delegator.user,
            "delegate": delegate.user,
            "member": member.user,
            "facilitator": facilitator.user,
            "note_taker": note_taker.user,
            "network_admin": network_admin,
        },
    )


def _snapshot() -> tuple:
    return (
        tuple(
            VoteDelegation.objects.filter(revoked_at__isnull=True)
            .order_by("pk")
            .values_list("delegator_id", "delegate_id")
        ),
        tuple(Correction.objects.order_by("pk").values_list("pk", "status")),
        tuple(Minutes.objects.order_by("pk").values_list("assembly_id", "text", "approved_at")),
        SeriesVolunteer.objects.count(),
        tuple(Assembly.objects.order_by("pk").values_list("facilitator_id", "note_taker_id")),
    )


def _run(action: str, world: World, page, api):
    planned, busy, quiet, bare = world.planned, world.with_suggestion, world.quiet, world.bare
    suggestion = {"text": "We met in Sofia.", "reason": "We did."}
    roles = {"facilitator": world.note_taker.pk, "note_taker": world.facilitator.pk}
    match action:
        case "page: delegate a vote":
            url = reverse("assemblies:delegate", args=[planned.pk])
            return page.post(url, {"delegate": world.free.pk})
        case "page: revoke the delegation":
            return page.post(reverse("assemblies:delegation_revoke", args=[planned.pk]))
        case "page: suggest a correction":
            return page.post(reverse("assemblies:suggest", args=[busy.pk]), suggestion)
        case "page: accept a suggestion":
            url = reverse("assemblies:suggestion_decide", args=[busy.pk, world.suggestion.pk])
            return page.post(url, {"accept": "1"})
        case "page: publish the draft minutes":
            url = reverse("assemblies:minutes_publish", args=[bare.pk])
            return page.post(url, {"text": "We met."})
        case "page: approve the minutes":
            return page.post(reverse("assemblies:minutes_approve", args=[quiet.pk]))
        case "page: volunteer for the rotation":
            url = reverse("assemblies:volunteer", args=[planned.pk])
            return page.post(url, {"volunteering": "1"})
        case "page: confirm the rotation":
            url = reverse("assemblies:rotation_confirm", args=[planned.pk])
            return page.post(url, {f"rotation-{k}": v for k, v in roles.items()})
        case "api: delegate a vote":
            url = f"/api/v1/assemblies/{planned.pk}/delegation/"
            return api.post(url, {"delegate": {"id": world.free.pk}}, format="json")
        case "api: revoke the delegation":
            return api.delete(f"/api/v1/assemblies/{planned.pk}/delegation/")
        case "api: suggest a correction":
            body = {"assembly": busy.pk, **suggestion}
            return api.post("/api/v1/corrections/suggest/", body, format="json")
        case "api: reject a suggestion":
            url = f"/api/v1/corrections/{world.suggestion.pk}/decide/"
            return api.post(url, {"accept": False}, format="json")
        case "api: publish the draft minutes":
            url = f"/api/v1/assemblies/{bare.pk}/minutes/"
            return api.post(url, {"text": "We met."}, format="json")
        case "api: approve the minutes":
            return api.post(f"/api/v1/assemblies/{quiet.pk}/minutes/approve/", format="json")
        case "api: confirm the rotation":
            body = {k: {"id": v} for k, v in roles.items()}
            return api.post(f"/api/v1/assemblies/{planned.pk}/rotation/", body, format="json")
        case "api: read the quorum":
            return api.get(f"/api/v1/assemblies/{planned.pk}/quorum/")
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        response = _run(action, world, page, api)
        assert matrix.outcome(response) == expected, response.content[:400]
