"""Every opportunity list costs the same number of queries for a few rows as for many.

Each test measures a small set, grows it, measures again and compares; on a mismatch it prints
every SQL statement of the bigger request, so the N+1 is plain to see."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from circles.hooks import render_circle_sections
from projects.models import Interest, Opportunity
from tests.factories import LanguageFactory, PersonFactory, SkillFactory
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory

pytestmark = pytest.mark.django_db
SMALL, BIG = 3, 24


@pytest.fixture
def grow(circle, english, spanish):
    skills = [SkillFactory(name=f"Skill {n}") for n in range(3)]

    def _grow(n: int, **extra):
        for _ in range(n):
            opportunity = OpportunityFactory(circle=circle, visibility="public", **extra)
            opportunity.working_languages.add(english, spanish)
            for title in ("Dev", "Design"):
                role = RoleFactory(opportunity=opportunity, title=title)
                for skill in skills[:2]:
                    RoleSkillFactory(role=role, skill=skill)
        return opportunity

    return _grow


def _same_cost(count_queries, request, grow, **extra):
    grow(SMALL, **extra)
    with count_queries() as small:
        assert request().status_code == 200
    grow(BIG - SMALL, **extra)
    with count_queries() as big:
        assert request().status_code == 200
    assert big.count == small.count, big.report()


def test_the_list_page(login, member, count_queries, grow):
    client = login(member.user)
    _same_cost(count_queries, lambda: client.get("/opportunities/"), grow)


def test_the_list_page_for_a_visitor_with_filters(client, count_queries, grow):
    _same_cost(count_queries, lambda: client.get("/opportunities/?skill=skill-0&language=en"), grow)


def test_the_api_list(api_client, member, count_queries, grow):
    api_client.force_login(member.user)
    _same_cost(count_queries, lambda: api_client.get("/api/v1/opportunities/"), grow)


def test_the_feed(client, count_queries, grow):
    _same_cost(count_queries, lambda: client.get("/opportunities/feed.atom"), grow)


def test_my_interests(login, member, count_queries, grow):
    client = login(member.user)

    def grow_interests(n: int):
        grow(n)
        for opportunity in Opportunity.objects.exclude(interests__person=member):
            Interest.objects.create(opportunity=opportunity, person=member)

    _same_cost(count_queries, lambda: client.get("/opportunities/mine/"), grow_interests)


def test_the_opportunity_page_with_many_roles_and_interested_people(
    login, coordinator, circle, count_queries
):
    opportunity = OpportunityFactory(circle=circle)
    client = login(coordinator.user)

    def add(n):
        for _ in range(n):
            RoleSkillFactory(role=RoleFactory(opportunity=opportunity), skill=SkillFactory())
            Interest.objects.create(opportunity=opportunity, person=PersonFactory())
            opportunity.working_languages.add(LanguageFactory(code=f"x{Interest.objects.count()}"))

    add(SMALL)
    with count_queries() as small:
        first = client.get(opportunity.get_absolute_url())
    add(BIG - SMALL)
    with count_queries() as big:
        second = client.get(opportunity.get_absolute_url())
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(second.context["roles"]) == BIG  # every role is on the page
    assert len(second.context["interested"]) == BIG  # and every interested person
    assert big.count == small.count, big.report()


def test_the_circle_page_section(member, circle, count_queries, grow):
    request = RequestFactory().get("/")
    request.user = member.user

    def render():
        class Ok:
            status_code = 200

        render_circle_sections(request, circle)
        return Ok

    _same_cost(count_queries, render, grow, status="open")
