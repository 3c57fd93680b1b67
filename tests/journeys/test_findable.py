"""A newcomer's machine finds the demo network: it reads /robots.txt, follows /sitemap.xml to a
public co-op, opens its page (JSON-LD in the head) and asks the same address for JSON-LD, which
pyld expands against schema.org; the demo's people carry their ESCO skills, and last month's
public assembly is an `Event`."""

from __future__ import annotations

from xml.etree import ElementTree

from django.conf import settings
from playwright.sync_api import Page, expect

from members.demo_data import ESCO_SKILLS
from members.models import Organisation, Person
from tests.linked_data import SCHEMA, expand_checked, values

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JSON_LD = {"Accept": "application/ld+json"}


def _locs(page: Page, path: str) -> list[str]:
    response = page.request.get(path)
    assert response.ok, (path, response.status)
    root = ElementTree.fromstring(response.body())  # noqa: S314 - our own sitemap
    return [
        loc.text.removeprefix(settings.SITE_URL) for loc in root.iter(f"{SITEMAP}loc") if loc.text
    ]


def _sitemap(page: Page, section: str) -> list[str]:
    sections = [s for s in _locs(page, "/sitemap.xml") if s.startswith(f"/sitemap-{section}.xml")]
    assert sections, section
    return [path for s in sections for path in _locs(page, s)]


def test_a_visitor_finds_a_public_coop_through_the_sitemap_and_reads_it_as_json_ld(page: Page):
    robots = page.request.get("/robots.txt").text()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in robots

    coops = _sitemap(page, "coops")
    public = Organisation.objects.filter(status=Organisation.Status.MEMBER)
    assert sorted(coops) == sorted(o.get_absolute_url() for o in public)
    private = Organisation.objects.exclude(status=Organisation.Status.MEMBER)
    assert private.exists() and not {o.get_absolute_url() for o in private} & set(coops)

    federation = Organisation.objects.get(name="Federation of Co-operative Makers")
    path = federation.get_absolute_url()
    assert path in coops
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(federation.name)
    embedded = page.locator('script[type="application/ld+json"]').text_content()
    assert embedded and federation.name in embedded

    response = page.request.get(path, headers=JSON_LD)
    assert response.ok and response.headers["content-type"].startswith("application/ld+json")
    top = expand_checked(response.json(), "Cooperative", required=("name", "address", "member"))
    assert values(top, "name") == [federation.name]
    members = {m["@id"].removeprefix(settings.SITE_URL) for m in values(top, "member")}
    expected = federation.member_organisations.filter(status=Organisation.Status.MEMBER)
    assert members == {m.get_absolute_url() for m in expected}


def test_the_demo_people_carry_their_esco_skills(page: Page):
    person = (
        Person.objects.filter(
            profile_visibility=Person.ProfileVisibility.PUBLIC,
            organisation__status=Organisation.Status.MEMBER,
            erased_at__isnull=True,
            person_skills__skill__name="Python",
        )
        .order_by("pk")
        .first()
    )
    assert person is not None
    assert person.get_absolute_url() in _sitemap(page, "people")
    response = page.request.get(person.get_absolute_url(), headers=JSON_LD)
    top = expand_checked(response.json(), "Person", required=("name", "knowsAbout"))
    terms = {term.get("@id") for term in values(top, "knowsAbout")}
    assert ESCO_SKILLS["Python"] in terms


def test_last_months_public_assembly_is_an_event(page: Page):
    paths = _sitemap(page, "assemblies")
    assert paths
    response = page.request.get(paths[0], headers=JSON_LD)
    top = expand_checked(response.json(), "Event", required=("startDate", "eventAttendanceMode"))
    assert values(top, "startDate")[0].endswith("+00:00")
    assert SCHEMA + "location" in top
    decisions = _sitemap(page, "decisions")
    assert decisions
    page.goto(decisions[0])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
