"""Public opportunities are schema.org `JobPosting`s and public projects `Project`s, on their
pages and by content negotiation; members-only ones have no JSON-LD."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from projects.models import Opportunity
from tests.factories import OrganisationFactory, SkillFactory
from tests.linked_data import SCHEMA, expand_checked, negotiated, page_document, values
from tests.projects.factories import (
    OpportunityFactory,
    ProjectFactory,
    RoleFactory,
    RoleSkillFactory,
)

pytestmark = pytest.mark.django_db

JAVA = "http://data.europa.eu/esco/skill/19a8293b-8e95-4de3-983f-77484079c389"


@pytest.fixture
def posting(circle, coop):
    opportunity = OpportunityFactory(
        title="Member portal for a housing co-op",
        circle=circle,
        source_coop=coop,
        visibility=Opportunity.Visibility.PUBLIC,
        budget=Decimal("12000.00"),
        currency="EUR",
        estimated_effort_hours=300,
        start_date=datetime.date(2027, 1, 4),
        deadline=datetime.date(2027, 3, 31),
    )
    backend = RoleFactory(opportunity=opportunity, title="Backend developer", headcount=2)
    RoleSkillFactory(role=backend, skill=SkillFactory(name="Java", esco_uri=JAVA))
    RoleSkillFactory(
        role=RoleFactory(opportunity=opportunity, title="Designer"),
        skill=SkillFactory(name="Figma"),
    )
    return opportunity


def test_a_public_opportunity_is_a_remote_job_posting(client, posting):
    url = posting.get_absolute_url()
    response = negotiated(client, url)
    assert response.status_code == 200 and "Accept" in response["Vary"]
    assert page_document(client.get(url)) == response.json()
    top = expand_checked(
        response.json(),
        "JobPosting",
        required=(
            "title",
            "description",
            "datePosted",
            "validThrough",
            "hiringOrganization",
            "jobLocationType",
            "applicantLocationRequirements",
            "baseSalary",
            "skills",
            "occupationalCategory",
        ),
    )
    assert values(top, "jobLocationType") == ["TELECOMMUTE"]
    assert values(top, "validThrough") == ["2027-03-31"]
    assert values(top, "totalJobOpenings") == [3]
    assert sorted(values(top, "occupationalCategory")) == ["Backend developer", "Designer"]
    [hiring] = values(top, "hiringOrganization")
    assert hiring["@id"].endswith("/coops/camplight/")
    assert [values(c, "identifier")[0] for c in values(top, "applicantLocationRequirements")] == [
        "BG"
    ]
    [salary] = values(top, "baseSalary")
    assert values(salary, "currency") == ["EUR"]
    [rate] = values(salary, "value")
    assert (values(rate, "value"), values(rate, "unitText")) == ([40], ["HOUR"])
    skills = {values(term, "name")[0]: term for term in values(top, "skills")}
    assert skills["Java"]["@id"] == JAVA
    assert SCHEMA + "DefinedTerm" in skills["Figma"]["@type"]


def test_a_budget_without_an_effort_is_the_whole_amount(client, posting):
    Opportunity.objects.filter(pk=posting.pk).update(estimated_effort_hours=None)
    [salary] = values(
        expand_checked(negotiated(client, posting.get_absolute_url()).json(), "JobPosting"),
        "baseSalary",
    )
    [amount] = values(salary, "value")
    assert values(amount, "value") == [12000] and SCHEMA + "unitText" not in amount


def test_a_private_coop_never_hires_in_json_ld(client, posting):
    private = OrganisationFactory(name="Secret Co-op", slug="secret", status="applicant")
    Opportunity.objects.filter(pk=posting.pk).update(source_coop=private)
    document = negotiated(client, posting.get_absolute_url()).json()
    assert "Secret" not in json.dumps(document)
    assert document["hiringOrganization"]["name"] == "Patio"


def test_a_members_only_opportunity_has_no_json_ld(client, login, member, posting):
    Opportunity.objects.filter(pk=posting.pk).update(visibility=Opportunity.Visibility.MEMBERS)
    url = posting.get_absolute_url()
    assert client.get(url).status_code == 404
    reader = login(member.user)
    assert '<script type="application/ld+json">' not in reader.get(url).content.decode()
    assert negotiated(reader, url).status_code == 406


def test_a_public_project_is_a_project_under_its_circle(client, circle):
    project = ProjectFactory(name="Portal upkeep", circle=circle, visibility="public")
    top = expand_checked(
        negotiated(client, project.get_absolute_url()).json(),
        "Project",
        required=("name", "description", "parentOrganization"),
    )
    [circle_node] = values(top, "parentOrganization")
    assert circle_node["@id"].endswith(f"/circles/{circle.slug}/")


def test_an_opportunity_page_costs_the_same_queries_however_many_roles(
    client, posting, count_queries, django_assert_max_num_queries
):
    url = posting.get_absolute_url()
    client.get(url)  # the network's countries are read once, then cached
    for accept in ("text/html", "application/ld+json"):
        with count_queries() as small:
            assert client.get(url, HTTP_ACCEPT=accept).status_code == 200
        for _ in range(5):
            RoleSkillFactory(role=RoleFactory(opportunity=posting))
        with count_queries() as big, django_assert_max_num_queries(small.count):
            assert client.get(url, HTTP_ACCEPT=accept).status_code == 200
        assert big.count == small.count, big.report()


def test_a_job_description_says_only_what_the_page_shows(client, circle):
    opportunity = OpportunityFactory(
        circle=circle,
        visibility=Opportunity.Visibility.PUBLIC,
        description="<script>alert('d')</script> **Bold** <img src=x onerror=alert(1)>",
    )
    document = negotiated(client, opportunity.get_absolute_url()).json()
    assert "<strong>Bold</strong>" in document["description"]
    assert "script" not in document["description"] and "onerror" not in document["description"]
