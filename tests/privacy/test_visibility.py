"""Private profiles stay private, and the people page and the API show the same people.

A members-only profile never reaches a visitor: not on a co-op's page, not even as a count in
its skill table. And `/people/` lists exactly the people `/api/v1/people/` gives each reader.
An erased person's tombstone is listed and opened by nobody."""

from __future__ import annotations

import re

import pytest

from audit.models import AuditEvent
from members.models import Organisation, Person
from privacy.services import person_erase
from tests.factories import OrganisationFactory, PersonFactory, PersonSkillFactory

pytestmark = pytest.mark.django_db


def _skill_rows(page: str) -> dict[str, tuple[int, int]]:
    """The co-op page's skill table: skill name -> (people, experts)."""
    rows = re.findall(r"<tr><td>([^<]+)</td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td></tr>", page)
    return {name: (int(people), int(experts)) for name, people, experts in rows}


@pytest.fixture
def camplight_skills(coop):
    public = PersonFactory(
        organisation=coop, display_name="Pia Public", profile_visibility="public"
    )
    private = PersonFactory(
        organisation=coop, display_name="Mo Members", profile_visibility="members"
    )
    PersonSkillFactory(person=public, skill__name="Figma", level=1)
    PersonSkillFactory(person=private, skill__name="Figma", level=4)
    PersonSkillFactory(person=private, skill__name="Rust", level=2)
    return public, private


def test_a_visitor_counts_only_public_profiles_in_a_coops_skill_table(client, camplight_skills):
    page = client.get("/coops/camplight/").content.decode()
    # The members-only expert and their only skill are not counted, nor is the skill listed.
    assert _skill_rows(page) == {"Figma": (1, 0)}


@pytest.mark.parametrize("reader", ["member", "coop_admin", "outsider"])
def test_members_count_every_profile_in_a_coops_skill_table(
    request, login, camplight_skills, reader
):
    person = request.getfixturevalue(reader)
    page = login(person.user).get("/coops/camplight/").content.decode()
    assert _skill_rows(page) == {"Figma": (2, 1), "Rust": (1, 0)}


# pages and API agree -----------------------------------------------------------------------------
@pytest.fixture
def directory(coop, other_coop, member, coop_admin, outsider):
    """Public and members-only people in member co-ops, and a public one in an applicant co-op."""
    PersonFactory(organisation=coop, display_name="Pia Public", profile_visibility="public")
    PersonFactory(organisation=other_coop, display_name="Pablo Public", profile_visibility="public")
    PersonFactory(organisation=coop, display_name="Mo Members", profile_visibility="members")
    applicant = OrganisationFactory(slug="applying", status=Organisation.Status.APPLICANT)
    PersonFactory(organisation=applicant, display_name="Ada Applicant", profile_visibility="public")


def _page_names(client) -> set[str]:
    response = client.get("/people/", {"page": 1})
    assert response.status_code == 200
    results = response.content.decode().split('id="results"', 1)[-1]
    return set(re.findall(r'<h3><a href="/people/\d+/">([^<]+)</a></h3>', results))


def _api_names(client) -> set[str]:
    response = client.get("/api/v1/people/", {"page_size": 100})
    assert response.status_code == 200
    return {row["display_name"] for row in response.json()["results"]}


def test_a_visitor_sees_the_public_profiles_on_the_people_page_as_in_the_api(client, directory):
    assert _page_names(client) == _api_names(client) == {"Pia Public", "Pablo Public"}


@pytest.mark.parametrize("reader", ["member", "coop_admin", "outsider", "network_admin"])
def test_the_people_page_and_the_api_list_the_same_people_for_each_reader(
    request, client, directory, reader
):
    cast = request.getfixturevalue(reader)
    client.force_login(getattr(cast, "user", cast))
    names = _page_names(client)
    assert names == _api_names(client)
    assert {"Pia Public", "Mo Members", "Mila Member"} <= names
    assert "Ada Applicant" not in names  # not a member co-op: not in the network's directory


@pytest.mark.parametrize("reader", ["visitor", "member", "coop_admin", "network_admin"])
def test_an_erased_persons_tombstone_is_listed_nowhere_and_opened_by_no_one(
    request, client, directory, coop, coop_admin, reader
):
    pia = Person.objects.get(display_name="Pia Public")
    person_erase(actor=pia.user, person=pia)
    tombstone = Person.objects.get(pk=pia.pk).display_name
    assert tombstone == f"Former member #{pia.pk}"
    if reader != "visitor":
        cast = request.getfixturevalue(reader)
        client.force_login(getattr(cast, "user", cast))

    assert tombstone not in _page_names(client) | _api_names(client)
    assert tombstone not in client.get(f"/coops/{coop.slug}/").content.decode()
    assert client.get(f"/people/{pia.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{pia.pk}/").status_code == 404
    assert client.get("/api/v1/people/", {"q": "Former"}).json()["results"] == []
    # The audit log still points at the tombstone.
    assert AuditEvent.objects.filter(action="person.erase", object_id=str(pia.pk)).exists()
