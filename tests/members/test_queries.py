"""Every list page and API list costs the same number of queries for 5 rows as for 30.

Each test measures a small network, grows it, measures again and compares; on a mismatch it
prints every SQL statement of the bigger request, so the N+1 is plain to see.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

import pytest

from members.models import Organisation
from members.search import refresh_search_vectors
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillCategoryFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

SMALL, BIG = 5, 30
_serial = count()


@pytest.fixture
def vocabulary(db):
    """Skills, sectors, languages and a federation shared by the rows the tests add."""
    design = SkillCategoryFactory(name="Design")
    development = SkillCategoryFactory(name="Development")
    return {
        "skills": [
            SkillFactory(name="Django", category=development),
            SkillFactory(name="Figma", category=design),
            SkillFactory(name="Accessibility", category=design),
        ],
        "sectors": [SectorFactory(name="Software"), SectorFactory(name="Education")],
        "languages": [
            LanguageFactory(code="en", name="English"),
            LanguageFactory(code="es", name="Spanish"),
        ],
        "federation": OrganisationFactory(
            name="Federation of Tech Co-ops", slug="federation", kind="federation"
        ),
    }


def _add_person(organisation, vocabulary):
    person = PersonFactory(organisation=organisation, profile_visibility="public")
    for skill in vocabulary["skills"][:2]:
        PersonSkillFactory(person=person, skill=skill)
    for language in vocabulary["languages"]:
        PersonLanguageFactory(person=person, language=language)
    return person


def _add_organisations(vocabulary, n: int) -> None:
    for _ in range(n):
        i = next(_serial)
        organisation = OrganisationFactory(name=f"Cooperativa {i:03d}", slug=f"coop-q{i:03d}")
        organisation.sectors.set(vocabulary["sectors"])
        organisation.languages.set(vocabulary["languages"])
        organisation.federations.set([vocabulary["federation"]])
        _add_person(organisation, vocabulary)
        _add_person(organisation, vocabulary)


def _add_people_to(slug: str) -> Callable:
    def grow(vocabulary, n: int) -> None:
        organisation = Organisation.objects.get(slug=slug)
        for _ in range(n):
            _add_person(organisation, vocabulary)

    return grow


def _add_people_across_coops(vocabulary, n: int) -> None:
    organisations = [OrganisationFactory(slug=f"people-q{next(_serial):03d}") for _ in range(3)]
    for i in range(n):
        _add_person(organisations[i % 3], vocabulary)


def _add_skills(vocabulary, n: int) -> None:
    category = vocabulary["skills"][0].category
    for _ in range(n):
        SkillFactory(name=f"Skill {next(_serial):03d}", category=category)


def _get(client, url, count_queries):
    with count_queries() as counter:
        response = client.get(url, HTTP_ACCEPT="application/json, text/html")
    assert response.status_code == 200, url
    return counter, response


def _assert_constant(client, url, grow, vocabulary, count_queries):
    grow(vocabulary, SMALL)
    refresh_search_vectors()
    client.get(url)  # warm up what is loaded once per process
    small, _ = _get(client, url, count_queries)
    grow(vocabulary, BIG - SMALL)
    refresh_search_vectors()
    big, response = _get(client, url, count_queries)
    assert big.count == small.count, (
        f"{url}: {small.count} queries for {SMALL} rows but {big.count} for {BIG}:\n" + big.report()
    )
    return response


@pytest.fixture
def viewer(request, client, login):
    """The client of a visitor or of a member of the network."""
    if request.param == "visitor":
        return client
    return login(request.getfixturevalue("member").user)


PAGES = [
    ("/coops/", _add_organisations),
    ("/coops/?country=BG&sector=software&q=cooperativa", _add_organisations),
    ("/coops/camplight/", _add_people_to("camplight")),
]


@pytest.mark.parametrize("viewer", ["visitor", "member"], indirect=True)
@pytest.mark.parametrize(("url", "grow"), PAGES, ids=[url for url, _ in PAGES])
def test_public_directory_pages_have_constant_queries(
    viewer, url, grow, vocabulary, coop, count_queries
):
    _assert_constant(viewer, url, grow, vocabulary, count_queries)


MEMBER_PAGES = [
    ("/people/", _add_people_across_coops),
    ("/people/?skill=django&min_level=2&language=es&q=person", _add_people_across_coops),
]


@pytest.mark.parametrize(("url", "grow"), MEMBER_PAGES, ids=[url for url, _ in MEMBER_PAGES])
def test_people_directory_has_constant_queries(login, member, url, grow, vocabulary, count_queries):
    _assert_constant(login(member.user), url, grow, vocabulary, count_queries)


API_LISTS = [
    ("/api/v1/organisations/", _add_organisations),
    ("/api/v1/organisations/?page_size=30&country=BG", _add_organisations),
    ("/api/v1/people/", _add_people_across_coops),
    ("/api/v1/people/?page_size=30&skill=figma", _add_people_across_coops),
    ("/api/v1/skills/", _add_skills),
    ("/api/v1/skills/?page_size=30", _add_skills),
]


@pytest.mark.parametrize("viewer", ["visitor", "member"], indirect=True)
@pytest.mark.parametrize(("url", "grow"), API_LISTS, ids=[url for url, _ in API_LISTS])
def test_api_lists_have_constant_queries(viewer, url, grow, vocabulary, count_queries):
    response = _assert_constant(viewer, url, grow, vocabulary, count_queries)
    assert response["Content-Type"].startswith("application/json")
    assert len(response.json()["results"]) >= 25


def test_the_api_costs_the_same_at_two_page_sizes(login, member, vocabulary, count_queries):
    client = login(member.user)
    _add_organisations(vocabulary, BIG)
    client.get("/api/v1/organisations/?page_size=5")
    small, small_response = _get(client, "/api/v1/organisations/?page_size=5", count_queries)
    big, big_response = _get(client, "/api/v1/organisations/?page_size=30", count_queries)
    assert len(small_response.json()["results"]) == 5
    assert len(big_response.json()["results"]) == 30
    assert big.count == small.count, big.report()
