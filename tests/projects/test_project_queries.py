"""The project pages a coordinator edits cost the same number of queries for a small team as for
a big one, and for a few projects as for many; on a mismatch the bigger request's SQL is
printed."""

from __future__ import annotations

import pytest

from projects.models import Opportunity
from projects.services.teams import project_create, project_from_opportunity
from tests.factories import SkillFactory
from tests.projects.factories import (
    ProjectFactory,
    RoleFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
    TeamRoleSkillFactory,
)
from tests.projects.query_cost import same_cost

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


def _same_cost(count_queries, django_assert_max_num_queries, request, grow):
    same_cost(count_queries, django_assert_max_num_queries, request, grow, max_queries=MAX_QUERIES)


@pytest.fixture
def project(circle, coordinator):
    return project_create(
        actor=coordinator.user, circle=circle, data={"name": "Network handbook"}, roles=[]
    )


@pytest.fixture
def add_roles(project, english):
    skill = SkillFactory(name="Django")

    def _add(n: int):
        for _ in range(n):
            role = TeamRoleFactory(project=project, title="Dev")
            role.languages.add(english)
            TeamRoleSkillFactory(role=role, skill=skill)
            TeamMembershipFactory(role=role, status="accepted")
            TeamRoleFactory(project=project, title="Open seat")

    return _add


@pytest.mark.parametrize("page", ["detail", "roles", "api"])
def test_a_coordinator_s_project_pages_with_a_bigger_team(
    page,
    client,
    api_client,
    coordinator,
    project,
    add_roles,
    count_queries,
    django_assert_max_num_queries,
):
    client.force_login(coordinator.user)
    api_client.force_login(coordinator.user)
    urls = {
        "detail": lambda: client.get(project.get_absolute_url()),
        "roles": lambda: client.get(f"/projects/{project.pk}/roles/"),
        "api": lambda: api_client.get(f"/api/v1/projects/{project.pk}/"),
    }
    _same_cost(count_queries, django_assert_max_num_queries, urls[page], add_roles)


def test_the_project_list_with_more_projects_for_a_coordinator(
    client, coordinator, circle, count_queries, django_assert_max_num_queries
):
    client.force_login(coordinator.user)

    def grow(n: int):
        for _ in range(n):
            project = ProjectFactory(circle=circle)
            TeamMembershipFactory(role=TeamRoleFactory(project=project), status="accepted")
            TeamRoleFactory(project=project)

    _same_cost(count_queries, django_assert_max_num_queries, lambda: client.get("/projects/"), grow)


def test_the_opportunity_page_listing_more_unfilled_roles(
    client, coordinator, staffing, count_queries, django_assert_max_num_queries
):
    opportunity, _people = staffing
    project = project_from_opportunity(actor=coordinator.user, opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.TEAM_PROPOSED)
    client.force_login(coordinator.user)

    def grow(n: int):
        for _ in range(n):
            source = RoleFactory(opportunity=opportunity)
            TeamRoleFactory(project=project, source_role=source)

    _same_cost(
        count_queries,
        django_assert_max_num_queries,
        lambda: client.get(opportunity.get_absolute_url()),
        grow,
    )
