"""The network findable by machines: /sitemap.xml lists every public object with when it last
changed (and nothing private), /robots.txt points to it, and every page names its other
languages with hreflang; `?lang=` selects one for a single request."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.conf import settings

from assemblies.models import Assembly
from members.models import Person
from members.sitemaps import OrganisationSitemap
from patio import linked_data
from policies.models import Policy
from projects.models import Opportunity
from tests.assemblies.factories import AssemblyFactory, DecisionFactory
from tests.circles.factories import CircleFactory
from tests.factories import OrganisationFactory, PersonFactory
from tests.policies.factories import PolicyFactory, PolicyVersionFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locations(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own sitemap
    found = []
    for entry in root:
        loc = entry.find(f"{SITEMAP}loc")
        lastmod = entry.find(f"{SITEMAP}lastmod")
        assert loc is not None and loc.text
        found.append((loc.text, lastmod.text if lastmod is not None else None))
    return found


def _path(url: str) -> str:
    assert url.startswith(settings.SITE_URL), url
    return url.removeprefix(settings.SITE_URL)


def sitemap_paths(client) -> set[str]:
    """Every address the sitemap lists, following the index into each section's pages."""
    paths = set()
    for section, _lastmod in _locations(client.get("/sitemap.xml")):
        for url, lastmod in _locations(client.get(_path(section))):
            assert lastmod, url
            paths.add(_path(url))
    return paths


@pytest.fixture
def network(db):
    """One public and one private object of each kind."""
    public_coop = OrganisationFactory(name="Public Co-op", slug="public-coop")
    private_coop = OrganisationFactory(name="Applicant", slug="applicant", status="applicant")
    left = OrganisationFactory(name="Gone", slug="gone", status="left")
    objects = {
        "public": [
            public_coop.get_absolute_url(),
            PersonFactory(
                organisation=public_coop, profile_visibility=Person.ProfileVisibility.PUBLIC
            ).get_absolute_url(),
            CircleFactory(name="Tech").get_absolute_url(),
            OpportunityFactory(visibility=Opportunity.Visibility.PUBLIC).get_absolute_url(),
            ProjectFactory(visibility=Opportunity.Visibility.PUBLIC).get_absolute_url(),
        ],
        "private": [
            private_coop.get_absolute_url(),
            left.get_absolute_url(),
            PersonFactory(organisation=public_coop).get_absolute_url(),
            PersonFactory(
                organisation=private_coop, profile_visibility=Person.ProfileVisibility.PUBLIC
            ).get_absolute_url(),
            OpportunityFactory(visibility=Opportunity.Visibility.MEMBERS).get_absolute_url(),
            OpportunityFactory(
                visibility=Opportunity.Visibility.PUBLIC, status=Opportunity.Status.DRAFT
            ).get_absolute_url(),
            ProjectFactory().get_absolute_url(),
        ],
    }
    public_assembly = AssemblyFactory(visibility=Assembly.Visibility.PUBLIC)
    private_assembly = AssemblyFactory()
    objects["public"] += [
        public_assembly.get_absolute_url(),
        DecisionFactory(assembly=public_assembly).get_absolute_url(),
    ]
    objects["private"] += [
        private_assembly.get_absolute_url(),
        DecisionFactory(assembly=private_assembly).get_absolute_url(),
    ]
    public_policy = PolicyFactory(visibility=Policy.Visibility.PUBLIC)
    private_policy = PolicyFactory()
    objects["public"] += [
        public_policy.get_absolute_url(),
        PolicyVersionFactory(policy=public_policy).get_absolute_url(),
    ]
    objects["private"] += [
        private_policy.get_absolute_url(),
        PolicyVersionFactory(policy=private_policy).get_absolute_url(),
    ]
    return objects


def test_the_sitemap_lists_every_public_object_and_nothing_private(client, network):
    paths = sitemap_paths(client)
    assert set(network["public"]) <= paths
    assert not set(network["private"]) & paths
    for path in network["public"]:
        assert client.get(path).status_code == 200, path


def test_the_sitemap_index_is_dated_by_each_section_newest_change(client, network):
    entries = _locations(client.get("/sitemap.xml"))
    assert {_path(url) for url, _lastmod in entries} >= {
        "/sitemap-coops.xml",
        "/sitemap-people.xml",
        "/sitemap-policy-versions.xml",
    }
    assert all(lastmod for url, lastmod in entries if "coops" in url)


def test_a_big_section_is_cut_into_pages(client, db, monkeypatch):
    monkeypatch.setattr(OrganisationSitemap, "limit", 2)
    for i in range(5):
        OrganisationFactory(slug=f"paged-{i}")
    sections = [_path(url) for url, _ in _locations(client.get("/sitemap.xml"))]
    assert [s for s in sections if "coops" in s] == [
        "/sitemap-coops.xml",
        "/sitemap-coops.xml?p=2",
        "/sitemap-coops.xml?p=3",
    ]
    listed = [
        _path(url)
        for page in sections
        if "coops" in page
        for url, _ in _locations(client.get(page))
    ]
    assert sorted(listed) == sorted(f"/coops/paged-{i}/" for i in range(5))
    assert client.get("/sitemap-coops.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def _grow(n: int) -> None:
    for _ in range(n):
        coop = OrganisationFactory()
        PersonFactory(organisation=coop, profile_visibility=Person.ProfileVisibility.PUBLIC)
        public_policy = PolicyFactory(visibility=Policy.Visibility.PUBLIC)
        PolicyVersionFactory(policy=public_policy)
        DecisionFactory(assembly=AssemblyFactory(visibility=Assembly.Visibility.PUBLIC))
        OpportunityFactory(visibility=Opportunity.Visibility.PUBLIC)
        CircleFactory()


def test_the_sitemap_costs_the_same_queries_for_a_bigger_network(
    client, db, count_queries, django_assert_max_num_queries
):
    _grow(2)
    with count_queries() as small:
        section_urls = [_path(url) for url, _ in _locations(client.get("/sitemap.xml"))]
    sections = {}
    for url in section_urls:
        with count_queries() as counted:
            client.get(url)
        sections[url] = counted.count
    _grow(10)
    with count_queries() as big, django_assert_max_num_queries(small.count):
        client.get("/sitemap.xml")
    assert big.count == small.count, big.report()
    for url, count in sections.items():
        with count_queries() as counted, django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
        assert counted.count == count, counted.report()


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    for private in ("/accounts/", "/admin/", "/me/", "/api/"):
        assert f"Disallow: {private}" in lines
    for public in ("/coops/", "/people/", "/opportunities/"):
        assert f"Disallow: {public}" not in lines


HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def test_every_page_links_its_other_languages_and_a_default(client, db):
    OrganisationFactory(slug="camplight")
    html = client.get("/coops/?country=BG&page=1").content.decode()
    links = dict(HREFLANG.findall(html))
    expected = {code if "-" not in code else "pt-BR" for code, _ in settings.LANGUAGES}
    assert set(links) == expected | {"x-default"}
    base = f"{settings.SITE_URL}/coops/"
    assert links["x-default"] == f"{base}?country=BG&amp;page=1"
    assert links["fr"] == f"{base}?country=BG&amp;page=1&amp;lang=fr"
    assert links["pt-BR"] == f"{base}?country=BG&amp;page=1&amp;lang=pt-br"


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_an_hreflang_address_shows_the_page_in_its_language(client, db, code):
    html = client.get(f"/coops/?lang={code}").content.decode()
    assert f'<html lang="{code}">' in html
    # The address chose it for this request only: nothing is remembered.
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert '<html lang="en">' in client.get("/coops/").content.decode()


def test_the_address_language_wins_over_a_signed_in_persons_own(login, member):
    member.language = "es"
    member.save(update_fields=["language"])
    reader = login(member.user)
    assert '<html lang="es">' in reader.get("/coops/").content.decode()
    assert '<html lang="ja">' in reader.get("/coops/?lang=ja").content.decode()
    member.refresh_from_db()
    assert member.language == "es"


@pytest.mark.parametrize("value", ["xx", "", "EN-GB", "../../etc"])
def test_an_unknown_language_in_the_address_is_ignored(client, db, value):
    response = client.get("/coops/", {"lang": value})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.pure
def test_json_ld_in_a_page_cannot_end_its_script_block():
    block = linked_data.script({"name": "</script><script>alert('&')</script><!--"})
    body = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert "\\u003C/script\\u003E" in body


@pytest.mark.pure
def test_a_json_ld_time_always_has_its_offset():
    import datetime

    with pytest.raises(ValueError):
        linked_data.moment(datetime.datetime(2026, 12, 3, 15, 0))  # noqa: DTZ001 - the point
    assert linked_data.moment(datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)) == (
        "2026-12-03T15:00:00+00:00"
    )
