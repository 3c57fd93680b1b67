"""Every team list (and the matcher's input) costs the same number of queries for a few rows as
for many; on a mismatch the bigger request's SQL is printed."""

from __future__ import annotations

import pytest

from projects.selectors.matching_runs import matching_input
from tests.factories import PersonFactory, PersonLanguageFactory, PersonSkillFactory, SkillFactory
from tests.projects.factories import (
    ProjectFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
    TeamRoleSkillFactory,
)
from tests.projects.query_cost import same_cost

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20


@pytest.fixture
def grow(circle, member, english):
    skill = SkillFactory(name="Django")

    def _grow(n: int):
        for _ in range(n):
            project = ProjectFactory(circle=circle)
            for title in ("Dev", "Design"):
                role = TeamRoleFactory(project=project, title=title)
                role.languages.add(english)
                TeamRoleSkillFactory(role=role, skill=skill)
                TeamMembershipFactory(role=role, status="accepted")
            TeamMembershipFactory(
                role=TeamRoleFactory(project=project), person=member, status="invited"
            )
        return project

    return _grow


def _same_cost(count_queries, django_assert_max_num_queries, request, grow):
    same_cost(count_queries, django_assert_max_num_queries, request, grow, max_queries=MAX_QUERIES)


@pytest.mark.parametrize(
    "url",
    [
        "/projects/",
        "/projects/mine/",
        "/api/v1/projects/",
        "/api/v1/team-roles/",
        "/api/v1/team-memberships/",
    ],
)
def test_list_pages_and_api_lists(
    url, client, member, count_queries, django_assert_max_num_queries, grow
):
    client.force_login(member.user)
    _same_cost(count_queries, django_assert_max_num_queries, lambda: client.get(url), grow)


def test_the_project_page_with_a_bigger_team(
    client, member, count_queries, django_assert_max_num_queries, circle
):
    project = ProjectFactory(circle=circle)
    client.force_login(member.user)

    def add(n):
        for _ in range(n):
            TeamMembershipFactory(role=TeamRoleFactory(project=project), status="accepted")

    _same_cost(
        count_queries,
        django_assert_max_num_queries,
        lambda: client.get(project.get_absolute_url()),
        add,
    )


def test_the_matchers_input_does_not_grow_with_the_network(
    count_queries, django_assert_max_num_queries, circle, english
):
    skill = SkillFactory(name="Django")
    project = ProjectFactory(circle=circle)
    role = TeamRoleFactory(project=project)
    role.languages.add(english)
    TeamRoleSkillFactory(role=role, skill=skill)

    def add(n):
        for _ in range(n):
            person = PersonFactory()
            PersonSkillFactory(person=person, skill=skill)
            PersonLanguageFactory(person=person, language=english)

    class Call:
        status_code = 200

    def request():
        matching_input(project, [role])
        return Call

    _same_cost(count_queries, django_assert_max_num_queries, request, add)
