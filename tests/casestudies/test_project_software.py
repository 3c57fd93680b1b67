"""The software a project uses: its lead or a coordinator of its circle lists catalogue entries
on the project page (or through the API), and the project's case study starts from that list.

Columns: `visitor`; `outsider` (a person of the network outside the team); `team` (worked in
it, not a lead); `lead`; `coordinator` (of the project's circle); `network_admin`; tokens of
the lead. Every refused write leaves the links as they were, with no audit event."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from casestudies import services
from casestudies.models import ProjectSoftware
from catalogue import services as catalogue_services
from catalogue.models import FunctionCategory, Software
from projects.models import Opportunity, Project
from tests import matrix
from tests.casestudies.conftest import build_team
from tests.circles.factories import CoordinatorFactory
from tests.factories import PersonFactory
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES

ROLES = ("visitor", "outsider", "team", "lead", "coordinator", "network_admin", *TOKEN_ROLES)

#                     visitor outsider team lead coord n-admin tok-r tok-w
MATRIX = {
    "page: see the list": (200, 200, 200, 200, 200, 200, 200, 200),
    "page: add": (LOGIN, 403, 403, SAVED, SAVED, SAVED, LOGIN, LOGIN),
    "page: remove": (LOGIN, 403, 403, SAVED, SAVED, SAVED, LOGIN, LOGIN),
    "api: list": (200, 200, 200, 200, 200, 200, 200, 200),
    "api: add": (401, 403, 403, 201, 201, 201, 403, 201),
    "api: remove": (401, 403, 403, 204, 204, 204, 403, 204),
}
READS = {"page: see the list", "api: list"}


def _publish(network_admin, name: str) -> Software:
    return catalogue_services.software_create(
        actor=network_admin,
        data={
            "name": name,
            "summary": f"{name}.",
            "licence": "AGPL-3.0-or-later",
            "features": ["Proposals and votes"],
            "status": "published",
        },
        m2m={"categories": [FunctionCategory.objects.get(slug="governance")]},
    )


@dataclass(kw_only=True)
class World(matrix.Cast):
    project: Project
    nextcloud: Software


@pytest.fixture
def world(coop, other_coop, entries, outsider, network_admin) -> World:
    team = build_team(coop, other_coop, entries, name="Listed")
    Project.objects.filter(pk=team.project.pk).update(visibility=Opportunity.Visibility.PUBLIC)
    team.project.refresh_from_db()
    coordinator = PersonFactory(organisation=other_coop)
    CoordinatorFactory(circle=team.project.circle, person=coordinator)
    return World(
        project=team.project,
        nextcloud=_publish(network_admin, "Nextcloud"),
        users={
            "outsider": outsider.user,
            "team": team.worker.user,
            "lead": team.lead.user,
            "coordinator": coordinator.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=team.lead.user),
    )


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    pk = world.project.pk
    api_url = f"/api/v1/projects/{pk}/software/"
    match action:
        case "page: see the list":
            response = page.get(world.project.get_absolute_url())
            assert response.status_code != 200 or "Loomio" in response.content.decode()
            return matrix.outcome(response)
        case "page: add":
            url = reverse("casestudies:project_software_add", args=[pk])
            return matrix.outcome(page.post(url, {"software": "nextcloud"}))
        case "page: remove":
            url = reverse("casestudies:project_software_remove", args=[pk, "loomio"])
            return matrix.outcome(page.post(url))
        case "api: list":
            return api.get(api_url).status_code
        case "api: add":
            return api.post(api_url, {"software": "nextcloud"}, format="json").status_code
        case "api: remove":
            return api.delete(f"{api_url}loomio/").status_code
    raise AssertionError(action)


def _snapshot() -> list:
    return list(ProjectSoftware.objects.order_by("pk").values("project_id", "software_id"))


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected


@pytest.mark.django_db
def test_a_members_only_project_lists_nothing_to_visitors(world):
    Project.objects.filter(pk=world.project.pk).update(visibility=Opportunity.Visibility.MEMBERS)
    _page, api = world.clients("visitor")
    assert api.get(f"/api/v1/projects/{world.project.pk}/software/").status_code == 404
    _page, member_api = world.clients("outsider")
    listed = member_api.get(f"/api/v1/projects/{world.project.pk}/software/").json()
    assert [row["slug"] for row in listed["software"]] == ["decidim", "loomio"]


@pytest.mark.django_db
def test_the_api_lists_published_entries_only_by_name(world):
    _page, api = world.clients("visitor")
    rows = api.get(f"/api/v1/projects/{world.project.pk}/software/").json()["software"]
    # The draft entry the lead listed is not shown to anyone.
    assert [row["name"] for row in rows] == ["Decidim", "Loomio"]
    assert rows[0]["url"].endswith("/catalogue/decidim/")


@pytest.mark.django_db
def test_a_lead_adds_and_removes_from_the_project_page(world):
    page, _api = world.clients("lead")
    html = page.get(world.project.get_absolute_url()).content.decode()
    assert "Software used" in html
    assert '<option value="nextcloud">Nextcloud</option>' in html
    assert '<option value="loomio">' not in html  # already listed

    added = page.post(
        reverse("casestudies:project_software_add", args=[world.project.pk]),
        {"software": "nextcloud"},
        follow=True,
    )
    assert "Nextcloud is listed as used." in added.content.decode()
    page.post(reverse("casestudies:project_software_remove", args=[world.project.pk, "loomio"]))
    listed = ProjectSoftware.objects.filter(project=world.project, software__status="published")
    assert sorted(listed.values_list("software__name", flat=True)) == ["Decidim", "Nextcloud"]
    assert AuditEvent.objects.filter(action="project.software_add").count() == 1
    assert AuditEvent.objects.filter(action="project.software_remove").count() == 1


@pytest.mark.django_db
def test_adding_twice_keeps_one_link_and_one_audit_event(world):
    lead = world.users["lead"]
    services.project_software_add(actor=lead, project=world.project, software=world.nextcloud)
    services.project_software_add(actor=lead, project=world.project, software=world.nextcloud)
    assert ProjectSoftware.objects.filter(software=world.nextcloud).count() == 1
    assert AuditEvent.objects.filter(action="project.software_add").count() == 1


@pytest.mark.django_db
def test_a_draft_entry_or_an_outsider_is_refused(world, entries, outsider):
    with pytest.raises(ValidationError):
        services.project_software_add(
            actor=world.users["lead"], project=world.project, software=entries["Quiet Draft"]
        )
    with pytest.raises(PermissionDenied):
        services.project_software_add(
            actor=outsider.user, project=world.project, software=world.nextcloud
        )
    _page, api = world.clients("lead")
    response = api.post(
        f"/api/v1/projects/{world.project.pk}/software/", {"software": "quiet-draft"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_the_case_study_draft_starts_from_the_listed_software_not_the_text(
    coop, other_coop, entries, network_admin
):
    team = build_team(coop, other_coop, entries, name="Told")
    # The description names Loomio and Decidim; the lead says only Decidim was used.
    ProjectSoftware.objects.filter(project=team.project, software=team.loomio).delete()

    form = matrix.clients_for("lead", users={"lead": team.lead.user}, secrets={})[0]
    html = form.get(reverse("casestudies:new", args=[team.project.pk])).content.decode()
    assert re.search(rf'value="{team.decidim.pk}"[^>]*checked', html)
    assert not re.search(rf'value="{team.loomio.pk}"[^>]*checked', html)
    case_study = services.case_study_create(actor=team.lead.user, project=team.project)

    assert [entry.name for entry in case_study.software.all()] == ["Decidim"]


@pytest.mark.django_db
def test_the_project_page_costs_the_same_queries_with_more_software(world, network_admin):
    page, _api = world.clients("lead")
    url = world.project.get_absolute_url()
    page.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        assert page.get(url).status_code == 200
    for name in ("Zulip", "Odoo", "Penpot", "Taiga"):
        services.project_software_add(
            actor=world.users["lead"], project=world.project, software=_publish(network_admin, name)
        )
    _publish(network_admin, "Ghost")  # one more to choose from
    with CaptureQueriesContext(connection) as many:
        html = page.get(url).content.decode()
    assert "Taiga" in html
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_api_list_costs_the_same_queries_with_more_software(
    world, network_admin, django_assert_max_num_queries
):
    _page, api = world.clients("lead")
    url = f"/api/v1/projects/{world.project.pk}/software/"
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    for name in ("Zulip", "Odoo", "Penpot"):
        services.project_software_add(
            actor=world.users["lead"], project=world.project, software=_publish(network_admin, name)
        )
    with django_assert_max_num_queries(len(few)):
        assert len(api.get(url).json()["software"]) == 5
