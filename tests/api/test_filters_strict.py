"""Filters a partner tool can trust: a filter that cannot apply is a 400 problem that names it,
never a 500 and never a list that quietly ignored it; and the schema says what each one takes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonSkillFactory,
    SkillFactory,
)
from tests.members.test_api_input import assert_problem
from tests.projects.factories import OpportunityFactory

HUGE = "99999999999999999999999"


def field_error(response, name: str) -> list[str]:
    return assert_problem(response, 400)["errors"][name]


# Numbers beyond what the database holds ----------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/circle-memberships/", "person"),
        ("/api/v1/organisations/", "size_min"),
        ("/api/v1/people/", "min_hours"),
        ("/api/v1/action-items/", "owner"),
        ("/api/v1/agenda-items/", "assembly"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}"])
def test_a_number_beyond_the_database_is_a_400(api_client, member, url, name, value):
    api_client.force_login(member.user)
    assert field_error(api_client.get(url, {name: value}), name)


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "1e3", "two"])
def test_an_id_filter_takes_only_an_id(api_client, member, value):
    api_client.force_login(member.user)
    assert field_error(api_client.get("/api/v1/circle-memberships/", {"person": value}), "person")


def test_an_id_filter_still_finds_its_rows(api_client, member, colleague):
    circle = CircleFactory(name="Tech")
    CircleMembershipFactory(circle=circle, person=member)
    CircleMembershipFactory(circle=circle, person=colleague)
    api_client.force_login(member.user)
    rows = api_client.get("/api/v1/circle-memberships/", {"person": member.pk}).json()["results"]
    assert [row["person"]["id"] for row in rows] == [member.pk]


# Filters that need another ----------------------------------------------------------------------
def test_a_minimum_level_without_a_skill_is_refused_not_ignored(api_client, member):
    PersonSkillFactory(person=member, skill=SkillFactory(name="Python"), level=1)
    api_client.force_login(member.user)
    assert field_error(api_client.get("/api/v1/people/", {"min_level": 3}), "min_level")
    found = api_client.get("/api/v1/people/", {"min_level": 3, "skill": "python"}).json()
    assert found["results"] == []


def test_the_directory_page_says_so_too(client, member):
    client.force_login(member.user)
    response = client.get("/people/", {"min_level": 3})
    assert response.status_code == 200
    assert "applies only together with" in response.content.decode()


@pytest.fixture
def priced(db):
    circle = CircleFactory(name="Tech")
    OpportunityFactory(circle=circle, title="Euros", budget=Decimal(3000), currency="EUR")
    OpportunityFactory(circle=circle, title="Pesos", budget=Decimal(300000), currency="ARS")


@pytest.mark.parametrize("name", ["budget_min", "budget_max"])
def test_budgets_are_compared_only_in_a_currency(api_client, member, priced, name):
    api_client.force_login(member.user)
    assert field_error(api_client.get("/api/v1/opportunities/", {name: 5000}), name)


def test_a_budget_with_its_currency_compares_in_it(api_client, member, priced):
    api_client.force_login(member.user)
    query = {"budget_min": 5000, "currency": "EUR"}
    assert api_client.get("/api/v1/opportunities/", query).json()["results"] == []
    query = {"budget_min": 5000, "currency": "ARS"}
    rows = api_client.get("/api/v1/opportunities/", query).json()["results"]
    assert [row["title"] for row in rows] == ["Pesos"]


# Ordering and page size --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "ordering", ["nonsense", "contact_email", "-", "name,size", "--name", "name "]
)
def test_an_ordering_the_list_does_not_offer_is_refused(api_client, db, ordering):
    assert field_error(api_client.get("/api/v1/organisations/", {"ordering": ordering}), "ordering")


def test_an_ordering_sent_twice_is_refused(api_client, db):
    response = api_client.get("/api/v1/organisations/?ordering=name&ordering=-size")
    assert field_error(response, "ordering")


def test_an_offered_ordering_orders_and_an_empty_one_is_the_default(api_client, db):
    for name, size in [("Alba", 3), ("Brisa", 1), ("Cobre", 2)]:
        OrganisationFactory(name=name, size=size)

    def names(query):
        rows = api_client.get("/api/v1/organisations/", query).json()["results"]
        return [row["name"] for row in rows]

    assert names({"ordering": "-size"}) == ["Alba", "Cobre", "Brisa"]
    assert names({"ordering": ""}) == names({}) == ["Alba", "Brisa", "Cobre"]


@pytest.mark.parametrize("page_size", ["0", "-5", "ten", "1.0", "101", HUGE])
def test_a_nonsense_page_size_is_refused_on_every_list(api_client, member, page_size):
    api_client.force_login(member.user)
    for url in ["/api/v1/organisations/", "/api/v1/fund/ledger/", "/api/v1/circles/"]:
        assert field_error(api_client.get(url, {"page_size": page_size}), "page_size")


# The schema says all of it -----------------------------------------------------------------------
@pytest.fixture
def parameters(db, api_client):
    LanguageFactory(code="es", name="Spanish")
    LanguageFactory(code="en", name="English")
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]

    def of(path: str) -> dict[str, dict]:
        found = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        for parameter in found.values():
            schema = parameter["schema"]
            parameter["schema"] = next(  # the filter's own schema, not the empty string beside it
                (s for s in schema.get("anyOf", []) if s.get("maxLength") != 0), schema
            )
        return found

    return of


def test_the_schema_lists_countries_and_languages(parameters):
    people = parameters("/api/v1/people/")
    organisations = parameters("/api/v1/organisations/")
    for found in (people, organisations):
        assert {"AR", "BG", "CO"} <= set(found["country"]["schema"]["items"]["enum"])
        # Languages are data: their form, so the schema does not change with the rows.
        assert re.fullmatch(found["language"]["schema"]["pattern"], "es")
        assert not re.fullmatch(found["language"]["schema"]["pattern"], "Spanish")


def test_the_schema_gives_bounds_and_needs(parameters):
    people, organisations = parameters("/api/v1/people/"), parameters("/api/v1/organisations/")
    level = people["min_level"]
    assert (level["schema"]["minimum"], level["schema"]["maximum"]) == (1, 4)
    assert "`skill`" in level["description"]
    assert organisations["size_min"]["schema"]["minimum"] == 0
    tz_min = people["tz_min"]["schema"]
    assert (tz_min["minimum"], tz_min["maximum"]) == (-14, 14)
    person = parameters("/api/v1/circle-memberships/")["person"]["schema"]
    assert person == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    budget = parameters("/api/v1/opportunities/")["budget_min"]
    assert "`currency`" in budget["description"]


def test_the_schema_lists_the_orderings_each_list_offers(parameters):
    ordering = parameters("/api/v1/organisations/")["ordering"]["schema"]
    assert ordering["enum"] == [
        "name",
        "-name",
        "size",
        "-size",
        "founded",
        "-founded",
        "id",
        "-id",
    ]
    assert parameters("/api/v1/fund/ledger/")["ordering"]["schema"]["enum"] == [
        "occurred_on",
        "-occurred_on",
        "id",
        "-id",
    ]


def test_a_valid_country_outside_the_network_finds_nothing_rather_than_failing(api_client, db):
    OrganisationFactory(country="BG")
    PersonFactory(country="BG")
    for url in ["/api/v1/organisations/", "/api/v1/people/"]:
        response = api_client.get(url, {"country": "BO"})
        assert response.status_code == 200 and response.json()["results"] == []
