"""Who may do what with case studies, through the pages and the API.

Columns: `visitor`; `outsider` (a person of the network who was not in the team); `team` (a
person who worked in the team, not a lead); `lead` (the project's lead); `network_admin`;
tokens of the lead. Three projects share the lead and the team: one finished without a case
study (drafted from), one with a written draft whose permission is recorded (edited, published),
one published (read, withdrawn). Every refused write leaves the database as it was, with no
audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from casestudies import services
from casestudies.models import CaseStudy
from tests import matrix
from tests.casestudies.conftest import build_team
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES

ROLES = ("visitor", "outsider", "team", "lead", "network_admin", *TOKEN_ROLES)

#                               visitor outsider team lead n-admin tok-r tok-w
MATRIX = {
    "page: read published": (200, 200, 200, 200, 200, 200, 200),
    "page: read draft": (404, 404, 200, 200, 200, 404, 404),
    "api: read published": (200, 200, 200, 200, 200, 200, 200),
    "api: read draft": (404, 404, 200, 200, 200, 200, 200),
    "page: open draft form": (LOGIN, 403, 403, 200, 200, LOGIN, LOGIN),
    "page: draft from project": (LOGIN, 403, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: draft from project": (401, 403, 403, 201, 201, 403, 201),
    "page: open edit form": (LOGIN, 404, 403, 200, 200, LOGIN, LOGIN),
    "page: edit": (LOGIN, 404, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: edit": (401, 404, 403, 200, 200, 403, 200),
    "page: record permission": (LOGIN, 404, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: record permission": (401, 404, 403, 200, 200, 403, 200),
    "page: publish": (LOGIN, 404, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: publish": (401, 404, 403, 200, 200, 403, 200),
    "page: withdraw": (LOGIN, 403, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: withdraw": (401, 403, 403, 200, 200, 403, 200),
}
READS = {
    "page: read published",
    "page: read draft",
    "api: read published",
    "api: read draft",
    "page: open draft form",
    "page: open edit form",
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    project_id: int
    draft: CaseStudy
    published: CaseStudy
    loomio_pk: int


@pytest.fixture
def world(coop, other_coop, entries, outsider, network_admin, make_published) -> World:
    fresh = build_team(coop, other_coop, entries, name="Fresh")
    lead, worker = fresh.lead, fresh.worker
    drafted = build_team(coop, other_coop, entries, name="Drafted", lead=lead, worker=worker)
    shown = build_team(coop, other_coop, entries, name="Shown", lead=lead, worker=worker)
    draft = services.case_study_create(actor=lead.user, project=drafted.project)
    services.case_study_update(
        actor=lead.user, case_study=draft, data={"story": "Story.", "outcome": "Outcome."}
    )
    services.case_study_record_consent(
        actor=lead.user, case_study=draft, method="email", given_by="Ana"
    )
    return World(
        project_id=fresh.project.pk,
        draft=draft,
        published=make_published(shown),
        loomio_pk=entries["Loomio"].pk,
        users={
            "outsider": outsider.user,
            "team": worker.user,
            "lead": lead.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=lead.user),
    )


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    draft, shown = world.draft.slug, world.published.slug
    api_draft = f"/api/v1/case-studies/{draft}/"
    match action:
        case "page: read published":
            return matrix.outcome(page.get(f"/case-studies/{shown}/"))
        case "page: read draft":
            return matrix.outcome(page.get(f"/case-studies/{draft}/"))
        case "api: read published":
            return api.get(f"/api/v1/case-studies/{shown}/").status_code
        case "api: read draft":
            return api.get(api_draft).status_code
        case "page: open draft form":
            return matrix.outcome(page.get(reverse("casestudies:new", args=[world.project_id])))
        case "page: draft from project":
            url = reverse("casestudies:new", args=[world.project_id])
            return matrix.outcome(page.post(url, {"title": "Fresh", "software": [world.loomio_pk]}))
        case "api: draft from project":
            body = {"project": world.project_id, "software": [{"slug": "loomio"}]}
            return api.post("/api/v1/case-studies/", body, format="json").status_code
        case "page: open edit form":
            return matrix.outcome(page.get(reverse("casestudies:edit", args=[draft])))
        case "page: edit":
            data = {"title": "Drafted", "story": "Changed by the matrix.", "outcome": "Outcome."}
            return matrix.outcome(page.post(reverse("casestudies:edit", args=[draft]), data))
        case "api: edit":
            body = {"story": "Changed by the matrix."}
            return api.patch(api_draft, body, format="json").status_code
        case "page: record permission":
            data = {"method": "written", "given_by": "Marta, secretary"}
            return matrix.outcome(page.post(reverse("casestudies:consent", args=[draft]), data))
        case "api: record permission":
            body = {"method": "written", "given_by": "Marta, secretary"}
            return api.post(f"{api_draft}permission/", body, format="json").status_code
        case "page: publish":
            return matrix.outcome(page.post(reverse("casestudies:publish", args=[draft])))
        case "api: publish":
            return api.post(f"{api_draft}publish/").status_code
        case "page: withdraw":
            return matrix.outcome(page.post(reverse("casestudies:withdraw", args=[shown])))
        case "api: withdraw":
            return api.post(f"/api/v1/case-studies/{shown}/withdraw/").status_code
    raise AssertionError(action)


def _snapshot() -> dict:
    return {
        "case_studies": list(CaseStudy.objects.order_by("pk").values()),
        "software": list(CaseStudy.software.through.objects.order_by("pk").values()),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "outsider"])
def test_drafts_are_not_listed_for_those_who_may_not_read_them(world, role):
    page, api = world.clients(role)
    listed = [row["slug"] for row in api.get("/api/v1/case-studies/").json()["results"]]
    assert listed == [world.published.slug]
    html = page.get("/case-studies/").content.decode()
    assert world.published.title in html
    assert f"/case-studies/{world.draft.slug}/" not in html


@pytest.mark.django_db
def test_the_team_sees_its_draft_listed(world):
    _page, api = world.clients("team")
    listed = {row["slug"] for row in api.get("/api/v1/case-studies/").json()["results"]}
    assert listed == {world.published.slug, world.draft.slug}
