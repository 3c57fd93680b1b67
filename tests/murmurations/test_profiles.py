"""Every public co-op reads as a Murmurations profile at a permanent address, valid against the
JSON Schemas written from the published definitions; private ones are not there, and one that
left answers 410 Gone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Organisation, Sector
from members.services import organisation_update
from murmurations.coops import MEMBER_OF, SCHEMA, starts_at
from tests.factories import OrganisationFactory
from tests.murmurations.validation import assert_valid, errors

pytestmark = pytest.mark.django_db


def _path(organisation: Organisation) -> str:
    return f"/murmurations/coops/{organisation.pk}.json"


def _profile(client, organisation: Organisation) -> dict:
    response = client.get(_path(organisation))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def _federation(name: str, slug: str, **fields) -> Organisation:
    return OrganisationFactory(name=name, slug=slug, kind=Organisation.Kind.FEDERATION, **fields)


def test_a_public_coop_reads_as_a_valid_organizations_profile(client, coop):
    federation = _federation("Worker Co-ops Without Borders", "wcwb")
    hidden = _federation("A Federation Still Applying", "applying", status="applicant")
    coop.federations.set([federation, hidden])
    coop.sectors.set(
        [Sector.objects.create(name=n, slug=n.lower()) for n in ("Software", "Design")]
    )
    coop.website = "https://camplight.net"
    coop.save()

    profile = _profile(client, coop)

    assert_valid(profile)
    assert profile == {
        "linked_schemas": [SCHEMA],
        "name": "Camplight",
        "primary_url": f"{settings.SITE_URL}/coops/camplight/",
        "tags": ["Worker co-op", "Design", "Software"],
        "description": "We design, build and maintain digital tools.",
        "mission": "A worker co-op building software for the social economy.",
        "country_iso_3166": "BG",
        "urls": [{"name": "Website", "url": "https://camplight.net"}],
        # Only the public federation: the profile names what a visitor may read.
        "relationships": [
            {"predicate_url": MEMBER_OF, "object_url": f"{settings.SITE_URL}/coops/wcwb/"}
        ],
        "starts_at": 1325376000,
    }


def test_the_founding_year_starts_on_the_first_of_january_utc():
    assert starts_at(2012) == 1325376000
    assert dt.datetime.fromtimestamp(starts_at(1844), tz=dt.UTC) == dt.datetime(
        1844, 1, 1, tzinfo=dt.UTC
    )


@pytest.mark.parametrize("kind", [k for k, _label in Organisation.Kind.choices])
def test_every_kind_of_organisation_with_the_least_it_can_have_is_valid(client, kind):
    bare = OrganisationFactory(
        kind=kind, description="", founded=None, website="", city="", country="UY"
    )
    profile = _profile(client, bare)
    assert_valid(profile)
    assert profile["description"] == bare.short_description
    assert "mission" not in profile  # not the same text twice
    assert not {"urls", "relationships", "starts_at", "image"} & profile.keys()


def test_a_logo_is_its_image_on_the_site_address(client, coop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    coop.logo = SimpleUploadedFile("logo.png", png, content_type="image/png")
    coop.save()
    profile = _profile(client, coop)
    assert_valid(profile)
    assert profile["image"] == f"{settings.SITE_URL}{coop.logo.url}"


def test_a_profile_reads_in_the_site_language_whatever_the_reader_asks_for(client, coop):
    profile = client.get(_path(coop), HTTP_ACCEPT_LANGUAGE="es").json()
    assert profile["tags"] == ["Worker co-op"]


@pytest.mark.parametrize("status", [Organisation.Status.APPLICANT, Organisation.Status.SUSPENDED])
def test_a_coop_the_public_cannot_see_has_no_profile_whoever_asks(
    client, login, coop, member, network_admin, status
):
    coop.status = status
    coop.save()
    for reader in (None, member.user, network_admin):
        if reader is not None:
            login(reader)
        response = client.get(_path(coop))
        assert response.status_code == 404
        assert response.json()["status"] == 404


def test_a_coop_that_left_answers_410_and_one_that_never_joined_404(client, coop):
    coop.status, coop.left_on = Organisation.Status.LEFT, dt.date(2026, 3, 1)
    coop.save()
    response = client.get(_path(coop))
    assert response.status_code == 410
    assert response.json()["status"] == 410

    never = OrganisationFactory(status=Organisation.Status.LEFT, joined_on=None)
    assert client.get(_path(never)).status_code == 404


def test_unknown_kinds_and_objects_answer_json_404(client, coop):
    for path in ("/murmurations/offers/1.json", f"/murmurations/coops/{coop.pk + 1000}.json"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_a_profile_can_only_be_read(client, coop):
    assert client.post(_path(coop)).status_code == 405
    assert client.head(_path(coop)).status_code == 200


def test_the_address_does_not_move_when_the_coop_is_renamed(client, coop, network_admin):
    before = _profile(client, coop)
    organisation_update(
        actor=network_admin, organisation=coop, data={"slug": "camplight-coop", "name": "Camp"}
    )
    after = _profile(client, coop)
    assert after["name"] == "Camp"
    assert after["primary_url"] == f"{settings.SITE_URL}/coops/camplight-coop/"
    assert before["primary_url"] != after["primary_url"]
    # The old page address still leads to the co-op (patio.slugs).
    assert client.get("/coops/camplight/").status_code == 301


def test_the_coop_page_links_its_profile_in_the_head_the_body_and_the_json_ld(client, coop):
    page = client.get(coop.get_absolute_url()).content.decode()
    href = f"{settings.SITE_URL}{_path(coop)}"
    assert (
        f'<link rel="alternate" type="application/json" href="{href}" '
        'title="Murmurations profile">' in page
    )
    assert f'<a href="{href}" type="application/json">Murmurations profile</a>' in page
    document = client.get(coop.get_absolute_url(), HTTP_ACCEPT="application/ld+json").json()
    assert document["subjectOf"] == [
        {
            "@type": "DigitalDocument",
            "name": "Murmurations profile",
            "url": href,
            "encodingFormat": "application/json",
            "schemaVersion": f"https://library.murmurations.network/v2/schemas/{SCHEMA}",
        }
    ]


def test_a_private_coop_page_links_no_profile(client, login, coop, member):
    coop.status = Organisation.Status.SUSPENDED
    coop.save()
    login(member.user)
    page = client.get(coop.get_absolute_url()).content.decode()
    assert "murmurations" not in page


@pytest.mark.parametrize("size", [1, 6])
def test_a_profile_costs_the_same_queries_however_many_sectors_and_federations(
    client, coop, django_assert_max_num_queries, size
):
    coop.federations.set([_federation(f"Federation {n}", f"federation-{n}") for n in range(size)])
    coop.sectors.set([Sector.objects.create(name=f"S{n}", slug=f"s{n}") for n in range(size)])
    with django_assert_max_num_queries(3):  # the co-op, its sectors, its federations
        profile = _profile(client, coop)
    assert len(profile["relationships"]) == size
    assert_valid(profile)


def test_the_schema_refuses_what_the_published_definitions_refuse():
    good = {"linked_schemas": [SCHEMA], "name": "Camplight"}
    assert errors(good) == []
    bad = [
        {"linked_schemas": [SCHEMA]},  # no name
        {"linked_schemas": [], "name": "x"},
        {"linked_schemas": ["Organizations"], "name": "x"},
        {**good, "primary_url": "camplight.net"},
        {**good, "country_iso_3166": "bg"},
        {**good, "country_iso_3166": "XX"},
        {**good, "tags": ["a", "a"]},
        {**good, "urls": [{"name": "Website"}]},
        {**good, "relationships": [{"object_url": "https://a.example"}]},
        {**good, "geolocation": {"lat": 91, "lon": 0}},
        {**good, "geolocation": {"lat": 1}},
        {**good, "starts_at": "2012"},
        {**good, "image": "logo.png"},
    ]
    for profile in bad:
        assert errors(profile), profile
