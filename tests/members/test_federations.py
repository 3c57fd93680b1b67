"""Federations list their member co-ops; the directory filters by federation; a co-op's page says
since when it is a member of the network."""

from __future__ import annotations

import datetime
import re

import pytest

from members.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FEDERATION = Organisation.Kind.FEDERATION


@pytest.fixture
def federations(coop, other_coop):
    """Two federations: the Plata one with Facttic Sur and an applicant, the other with Camplight."""
    plata = OrganisationFactory(name="Red del Plata", slug="red-del-plata", kind=FEDERATION)
    balkan = OrganisationFactory(name="Balkan Makers", slug="balkan-makers", kind=FEDERATION)
    applying = OrganisationFactory(
        name="Cooperativa Aspirante", slug="aspirante", status="applicant", joined_on=None
    )
    other_coop.federations.set([plata])
    applying.federations.set([plata])
    coop.federations.set([balkan])
    return {"plata": plata, "balkan": balkan, "applying": applying}


def _results(response) -> list[str]:
    results = response.content.decode().split('id="results"', 1)[-1]
    return re.findall(r'<h3><a href="/coops/([\w-]+)/">', results)


def _members_listed(response) -> list[str]:
    section = response.content.decode().split('id="federation-members-heading"', 1)[-1]
    section = section.split("</section>", 1)[0]
    return re.findall(r'<li><a href="/coops/([\w-]+)/">', section)


# the federation's page ---------------------------------------------------------------------------
def test_a_federation_page_lists_the_member_coops_a_visitor_may_see(client, federations):
    response = client.get("/coops/red-del-plata/")
    assert response.status_code == 200
    assert _members_listed(response) == ["facttic-sur"]  # not the applicant
    page = response.content.decode()
    assert "1 member co-op" in page
    assert 'href="/coops/?federation=red-del-plata"' in page


def test_a_member_of_the_network_also_sees_applicants_on_a_federation_page(
    login, member, federations
):
    response = login(member.user).get("/coops/red-del-plata/")
    assert _members_listed(response) == ["aspirante", "facttic-sur"]
    assert "Applicant" in response.content.decode().split("federation-members-heading", 1)[1]


def test_a_coop_page_has_no_member_list_and_a_federation_without_members_says_so(
    client, coop, federations
):
    assert "federation-members-heading" not in client.get("/coops/camplight/").content.decode()
    empty = OrganisationFactory(name="Empty Federation", slug="empty", kind=FEDERATION)
    page = client.get(f"/coops/{empty.slug}/").content.decode()
    assert "No co-op of the network belongs to this federation yet." in page


@pytest.mark.parametrize("members", [2, 20])
def test_a_federation_page_costs_the_same_for_few_and_many_members(
    client, federations, members, django_assert_max_num_queries
):
    for n in range(members):
        OrganisationFactory(slug=f"extra-{members}-{n}").federations.set([federations["plata"]])
    with django_assert_max_num_queries(12):
        assert client.get("/coops/red-del-plata/").status_code == 200


# the directory filter ----------------------------------------------------------------------------
def test_the_directory_filters_by_federation(client, federations):
    assert _results(client.get("/coops/?federation=red-del-plata")) == ["facttic-sur"]
    assert _results(client.get("/coops/?federation=balkan-makers")) == ["camplight"]
    form = client.get("/coops/").content.decode()
    assert '<option value="red-del-plata">Red del Plata</option>' in form
    assert "Member of the federation" in form


def test_a_member_filtering_by_federation_also_finds_its_applicants(login, member, federations):
    response = login(member.user).get("/coops/?federation=red-del-plata")
    assert _results(response) == ["aspirante", "facttic-sur"]


@pytest.mark.parametrize("slug", ["no-such-federation", "camplight"])
def test_an_unknown_federation_or_a_coop_is_a_form_error_with_the_fields_label(
    client, federations, slug
):
    response = client.get(f"/coops/?federation={slug}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters are not valid" in page
    assert "Member of the federation" in page.split('id="results"', 1)[1]
    assert _results(response) == []


def test_a_visitor_cannot_filter_by_a_federation_that_is_not_a_member(client, federations):
    federations["balkan"].status = Organisation.Status.APPLICANT
    federations["balkan"].save(update_fields=["status"])
    response = client.get("/coops/?federation=balkan-makers")
    assert "Some filters are not valid" in response.content.decode()
    assert 'value="balkan-makers"' not in client.get("/coops/").content.decode()


def test_joining_a_federation_shows_in_the_cached_directory_at_once(
    client, coop, federations, django_capture_on_commit_callbacks
):
    assert _results(client.get("/coops/?federation=red-del-plata")) == ["facttic-sur"]
    with django_capture_on_commit_callbacks(execute=True):
        coop.federations.add(federations["plata"])
    assert _results(client.get("/coops/?federation=red-del-plata")) == ["camplight", "facttic-sur"]


def test_the_api_filters_by_federation_with_the_same_rules(api_client, federations):
    response = api_client.get("/api/v1/organisations/", {"federation": "red-del-plata"})
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["facttic-sur"]

    bad = api_client.get("/api/v1/organisations/", {"federation": "camplight"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")


# member since ------------------------------------------------------------------------------------
def test_a_coop_page_says_since_when_it_is_a_member_of_the_network(client, coop):
    coop.joined_on = datetime.date(2019, 3, 14)
    coop.save(update_fields=["joined_on"])
    page = client.get("/coops/camplight/").content.decode()
    assert "Member of the network since" in page
    assert '<time datetime="2019-03-14">' in page


def test_an_applicant_or_a_coop_that_left_does_not_claim_membership(login, member, federations):
    page = login(member.user).get("/coops/aspirante/").content.decode()
    assert "Member of the network since" not in page
    left = OrganisationFactory(
        slug="gone",
        status="left",
        joined_on=datetime.date(2015, 1, 1),
        left_on=datetime.date(2024, 6, 30),
    )
    page = login(member.user).get(f"/coops/{left.slug}/").content.decode()
    assert "Member of the network since" not in page
    assert "Left the network on" in page
    assert '<time datetime="2024-06-30">' in page
