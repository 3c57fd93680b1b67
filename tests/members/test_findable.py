"""Co-ops and public people, findable by anyone: permanent addresses (a changed slug answers
301, a co-op that left answers 410 with what stays of it) and schema.org JSON-LD on the page and
by content negotiation, with public fields only."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType

from members import services
from members.models import Organisation, Person, Visibility
from patio.models import FormerSlug
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SkillFactory,
)
from tests.linked_data import SCHEMA, expand_checked, negotiated, page_document, values
from tests.members.test_pages import form_data

pytestmark = pytest.mark.django_db

PYTHON_ESCO = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


@pytest.fixture
def federation(db):
    return OrganisationFactory(
        name="Federation of Tech Co-ops", slug="tech-federation", kind="federation"
    )


@pytest.fixture
def camplight(federation):
    coop = OrganisationFactory(
        name="Camplight",
        slug="camplight",
        country="BG",
        city="Sofia",
        founded=2012,
        size=14,
        website="https://camplight.example",
    )
    coop.languages.set(
        [LanguageFactory(code="en", name="English"), LanguageFactory(code="bg", name="Bulgarian")]
    )
    coop.federations.set([federation])
    return coop


def _json_ld(client, url):
    response = negotiated(client, url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/ld+json")
    assert "Accept" in response["Vary"]
    return response.json()


# Co-ops ---------------------------------------------------------------------------------------
def test_a_coop_page_carries_its_json_ld_and_the_same_address_answers_it_alone(client, camplight):
    page = client.get("/coops/camplight/")
    assert page.status_code == 200
    assert "Accept" in page["Vary"]
    assert page_document(page) == _json_ld(client, "/coops/camplight/")


def test_a_coop_is_a_cooperative_with_an_organization_fallback(client, camplight, federation):
    document = _json_ld(client, "/coops/camplight/")
    top = expand_checked(
        document,
        "Cooperative",
        required=(
            "name",
            "address",
            "areaServed",
            "knowsLanguage",
            "foundingDate",
            "memberOf",
            "additionalType",
            "url",
        ),
    )
    assert SCHEMA + "Organization" in top["@type"]
    assert values(top, "additionalType") == ["https://schema.org/Cooperative"]
    assert values(top, "foundingDate")[0] == "2012"
    [address] = values(top, "address")
    assert values(address, "addressCountry") == ["BG"]
    assert values(address, "addressLocality") == ["Sofia"]
    [member_of] = values(top, "memberOf")
    assert member_of["@id"].endswith("/coops/tech-federation/")
    languages = values(top, "knowsLanguage")
    assert {values(term, "termCode")[0] for term in languages} == {"en", "bg"}
    assert {values(term, "inDefinedTermSet")[0]["@id"] for term in languages} == {
        "http://id.loc.gov/vocabulary/iso639-1"
    }
    assert all(SCHEMA + "DefinedTerm" in term["@type"] for term in languages)


def test_a_federation_lists_its_public_members_only(client, login, camplight, federation, member):
    OrganisationFactory(
        name="Applicant Co-op", slug="applicant", status="applicant"
    ).federations.set([federation])
    for reader in (client, login(member.user)):
        document = _json_ld(reader, "/coops/tech-federation/")
        top = expand_checked(document, "Cooperative", required=("member",))
        assert [m["@id"].rsplit("/coops/", 1)[1] for m in values(top, "member")] == ["camplight/"]


def test_a_partner_is_an_organization_not_a_cooperative(client):
    OrganisationFactory(name="Friendly Foundation", slug="friendly", kind="partner")
    top = expand_checked(_json_ld(client, "/coops/friendly/"), "Organization", required=("name",))
    assert SCHEMA + "Cooperative" not in top["@type"]


def test_json_ld_is_escaped_inside_the_script_block(client):
    OrganisationFactory(
        name="Evil</script><script>alert(1)</script>",
        slug="evil",
        short_description="<!-- & --> & \u2028",
    )
    html = client.get("/coops/evil/").content.decode()
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<script>alert" not in block and "<!--" not in block
    assert page_document(client.get("/coops/evil/"))["name"] == (
        "Evil</script><script>alert(1)</script>"
    )


def test_a_coop_members_only_has_no_json_ld(client, login, member):
    OrganisationFactory(name="Applicant", slug="applicant", status="applicant")
    assert client.get("/coops/applicant/").status_code == 404
    assert negotiated(client, "/coops/applicant/").status_code == 404
    reader = login(member.user)
    page = reader.get("/coops/applicant/")
    assert page.status_code == 200
    assert '<script type="application/ld+json">' not in page.content.decode()
    assert negotiated(reader, "/coops/applicant/").status_code == 406


# Permanent addresses -------------------------------------------------------------------------
def test_a_changed_slug_answers_301_to_the_new_address(client, network_admin, camplight):
    services.organisation_update(
        actor=network_admin,
        organisation=Organisation.objects.get(pk=camplight.pk),
        data={"slug": "camplight-coop"},
    )
    response = client.get("/coops/camplight/")
    assert response.status_code == 301
    assert response["Location"] == "/coops/camplight-coop/"
    assert client.get("/coops/camplight-coop/").status_code == 200
    # Renamed again: both old addresses lead to the newest.
    services.organisation_update(
        actor=network_admin,
        organisation=Organisation.objects.get(pk=camplight.pk),
        data={"slug": "camplight-sofia"},
    )
    for old in ("/coops/camplight/", "/coops/camplight-coop/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/coops/camplight-sofia/")


def test_a_slug_changed_on_the_edit_page_keeps_the_old_address(login, network_admin, camplight):
    reader = login(network_admin)
    data = form_data(reader.get("/coops/camplight/edit/").content.decode(), "slug")
    data["slug"] = "camplight-bg"
    response = reader.post("/coops/camplight/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/coops/camplight-bg/"
    assert reader.get("/coops/camplight/")["Location"] == "/coops/camplight-bg/"


def test_a_slug_taken_back_belongs_to_its_new_holder(client, network_admin, camplight):
    services.organisation_update(
        actor=network_admin,
        organisation=Organisation.objects.get(pk=camplight.pk),
        data={"slug": "camplight-coop"},
    )
    OrganisationFactory(name="Another Camplight", slug="camplight")
    page = client.get("/coops/camplight/")
    assert page.status_code == 200
    assert page.context["organisation"].name == "Another Camplight"


def test_a_renamed_back_slug_is_no_former_address(network_admin, camplight):
    for slug in ("camplight-coop", "camplight"):
        services.organisation_update(
            actor=network_admin,
            organisation=Organisation.objects.get(pk=camplight.pk),
            data={"slug": slug},
        )
    kind = ContentType.objects.get_for_model(Organisation)
    assert list(FormerSlug.objects.filter(content_type=kind).values_list("slug", flat=True)) == [
        "camplight-coop"
    ]


def test_a_former_slug_of_a_coop_the_reader_may_not_see_is_a_404(client, network_admin):
    coop = OrganisationFactory(name="Quiet", slug="quiet", status="applicant")
    services.organisation_update(
        actor=network_admin,
        organisation=Organisation.objects.get(pk=coop.pk),
        data={"slug": "quieter"},
    )
    assert client.get("/coops/quiet/").status_code == 404


# Tombstones ----------------------------------------------------------------------------------
def _leave(actor, coop, **data):
    services.organisation_update(
        actor=actor,
        organisation=Organisation.objects.get(pk=coop.pk),
        data={"status": Organisation.Status.LEFT, **data},
    )


def test_a_coop_that_left_keeps_a_tombstone_page(client, network_admin, camplight):
    camplight.joined_on = datetime.date(2015, 3, 1)
    camplight.save(update_fields=["joined_on"])
    _leave(network_admin, camplight, left_reason="Merged into a bigger co-op.")
    response = client.get("/coops/camplight/")
    assert response.status_code == 410
    text = response.content.decode()
    assert "Camplight" in text and "Merged into a bigger co-op." in text
    assert "2015" in text and 'datetime="2015-03-01"' in text
    assert "has left the network" in text
    top = expand_checked(page_document(response), "Cooperative", required=("name", "description"))
    assert SCHEMA + "dissolutionDate" not in top


def test_a_dissolved_coop_tombstone_says_when_by_json_ld_too(client, network_admin, camplight):
    _leave(network_admin, camplight, dissolved=True, left_reason="The members closed it.")
    response = negotiated(client, "/coops/camplight/")
    assert response.status_code == 410
    top = expand_checked(response.json(), "Cooperative", required=("dissolutionDate",))
    assert (
        values(top, "dissolutionDate")[0]
        == Organisation.objects.get(pk=camplight.pk).left_on.isoformat()
    )
    assert "has been dissolved" in client.get("/coops/camplight/").content.decode()


def test_members_still_read_the_page_of_a_coop_that_left(login, member, network_admin, camplight):
    _leave(network_admin, camplight, left_reason="Merged.")
    page = login(member.user).get("/coops/camplight/")
    assert page.status_code == 200
    assert "Merged." in page.content.decode()


def test_a_coop_that_never_joined_leaves_no_tombstone(client, network_admin):
    coop = OrganisationFactory(name="Never", slug="never", status="applicant", joined_on=None)
    _leave(network_admin, coop)
    assert client.get("/coops/never/").status_code == 404


# People --------------------------------------------------------------------------------------
@pytest.fixture
def public_person(camplight):
    person = PersonFactory(
        organisation=camplight,
        display_name="Nadia Public",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
        bio="I build accessible web apps.",
        contact_email="nadia@camplight.example",
        contact_email_visibility=Visibility.MEMBERS,
        phone="+359 2 123 4567",
        phone_visibility=Visibility.HIDDEN,
        chat="@nadia:matrix.example",
        chat_visibility=Visibility.PUBLIC,
        website="https://nadia.example",
        website_visibility=Visibility.PUBLIC,
        hours_per_week=17,
        timezone="Europe/Sofia",
    )
    PersonSkillFactory(person=person, skill=SkillFactory(name="Python", esco_uri=PYTHON_ESCO))
    PersonSkillFactory(person=person, skill=SkillFactory(name="Sociocracy"))
    PersonLanguageFactory(person=person, language=LanguageFactory(code="bg", name="Bulgarian"))
    return person


def test_a_public_person_is_a_person_with_skills_as_defined_terms(client, public_person):
    url = f"/people/{public_person.pk}/"
    document = _json_ld(client, url)
    assert page_document(client.get(url)) == document
    top = expand_checked(document, "Person", required=("name", "knowsAbout", "worksFor"))
    skills = {values(term, "name")[0]: term for term in values(top, "knowsAbout")}
    assert skills["Python"]["@id"] == PYTHON_ESCO
    assert values(skills["Python"], "inDefinedTermSet")[0]["@id"] == (
        "http://data.europa.eu/esco/concept-scheme/skills"
    )
    assert all(SCHEMA + "DefinedTerm" in term["@type"] for term in skills.values())
    [language] = values(top, "knowsLanguage")
    assert values(language, "termCode") == ["bg"]


@pytest.mark.parametrize("reader", ["visitor", "member", "self"])
def test_a_person_json_ld_never_says_what_only_members_may_read(
    client, login, public_person, member, reader
):
    if reader == "member":
        client = login(member.user)
    elif reader == "self":
        client = login(public_person.user)
    url = f"/people/{public_person.pk}/"
    for document in (_json_ld(client, url), page_document(client.get(url))):
        text = json.dumps(document)
        assert "nadia@camplight.example" not in text  # members only
        assert "123 4567" not in text  # hidden
        assert public_person.timezone not in text
        assert "hours" not in text.lower() and not re.search(r"[:\[,] ?17[,}\]]", text)
        assert public_person.user.email not in text
        assert document["sameAs"] == "https://nadia.example"  # public


def test_a_members_only_profile_has_no_json_ld(client, login, member, camplight):
    person = PersonFactory(
        organisation=camplight, profile_visibility=Person.ProfileVisibility.MEMBERS
    )
    url = f"/people/{person.pk}/"
    assert client.get(url).status_code == 404
    reader = login(member.user)
    assert '<script type="application/ld+json">' not in reader.get(url).content.decode()
    assert negotiated(reader, url).status_code == 406


# Constant queries ----------------------------------------------------------------------------
def _grow_coop(coop, n):
    for i in range(n):
        federation = OrganisationFactory(
            kind="federation", slug=f"fed-{coop.pk}-{i}-{Organisation.objects.count()}"
        )
        coop.federations.add(federation)
        coop.languages.add(LanguageFactory(code=f"l{i}", name=f"Language {i}"))


def _grow_person(person, n):
    for _ in range(n):
        PersonSkillFactory(person=person)
        code = f"x{person.person_languages.count()}"
        PersonLanguageFactory(person=person, language=LanguageFactory(code=code, name=code))


@pytest.mark.parametrize("accept", ["text/html", "application/ld+json"])
def test_a_coop_costs_the_same_queries_however_many_federations_and_languages(
    client, camplight, count_queries, django_assert_max_num_queries, accept
):
    _grow_coop(camplight, 2)
    with count_queries() as small:
        assert client.get("/coops/camplight/", HTTP_ACCEPT=accept).status_code == 200
    _grow_coop(camplight, 10)
    with count_queries() as big, django_assert_max_num_queries(small.count):
        assert client.get("/coops/camplight/", HTTP_ACCEPT=accept).status_code == 200
    assert big.count == small.count, big.report()


@pytest.mark.parametrize("accept", ["text/html", "application/ld+json"])
def test_a_person_costs_the_same_queries_however_many_skills(
    client, public_person, count_queries, django_assert_max_num_queries, accept
):
    url = f"/people/{public_person.pk}/"
    _grow_person(public_person, 2)
    with count_queries() as small:
        assert client.get(url, HTTP_ACCEPT=accept).status_code == 200
    _grow_person(public_person, 10)
    with count_queries() as big, django_assert_max_num_queries(small.count):
        assert client.get(url, HTTP_ACCEPT=accept).status_code == 200
    assert big.count == small.count, big.report()
