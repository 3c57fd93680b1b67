"""Journeys through the demo directory: accent-blind search, federations and their members, the
people filter's co-op autocomplete, and the site's own 404 for a profile a visitor may not see."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from members.models import Organisation, Person
from tests.browser.conftest import label
from tests.journeys.conftest import DEMO_MEMBER

MEMBER = Organisation.Status.MEMBER


def _result_links(page: Page) -> list[str]:
    return page.locator("#results .card h3 a").all_inner_texts()


def test_visitor_typing_bogota_finds_the_bogota_coop(page: Page):
    page.goto("/coops/")
    search = page.get_by_role("search").get_by_label(label("Search"))
    search.fill("bogota")
    search.press("Enter")
    expect(page.get_by_role("link", name="Cooperativa Frailejón")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=bogota"))


def test_member_typing_nunez_finds_the_nunez_people(page: Page, log_in_as):
    expected = sorted(
        Person.objects.filter(
            display_name__contains="Núñez", organisation__status=MEMBER
        ).values_list("display_name", flat=True)
    )
    assert expected  # the demo has people called Núñez
    log_in_as(page, DEMO_MEMBER)
    page.goto("/people/")
    search = page.get_by_role("search").get_by_label(label("Search"))
    search.fill("nunez")
    search.press("Enter")
    expect(page.get_by_role("link", name=expected[0])).to_be_visible()
    assert set(expected) <= set(_result_links(page))


def test_visitor_filters_the_directory_by_federation_and_meets_its_members(page: Page):
    federation = Organisation.objects.get(name="Federation of Co-operative Makers")
    members = sorted(
        federation.member_organisations.filter(status=MEMBER).values_list("name", flat=True)
    )
    assert len(members) >= 2

    page.goto("/coops/")
    filters = page.get_by_role("search")
    filters.get_by_label(label("Member of the federation")).select_option(label=federation.name)
    filters.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text(f"{len(members)} co-ops found")
    assert sorted(_result_links(page)) == members
    expect(page).to_have_url(re.compile(rf"[?&]federation={federation.slug}"))

    # From a member co-op to its federation's page, which lists the same co-ops.
    page.get_by_role("link", name=members[0]).click()
    expect(page.get_by_text("Member of the network since")).to_be_visible()
    page.get_by_role("link", name=federation.name).click()
    expect(page.get_by_role("heading", name=f"{len(members)} member co-ops")).to_be_visible()
    listed = page.locator("#federation-members-heading + ul li a").all_inner_texts()
    assert sorted(listed) == members


def test_member_filters_people_by_a_coop_name_with_the_autocomplete(page: Page, log_in_as):
    coop = Organisation.objects.get(name="Cooperativa Frailejón")
    people = Person.objects.filter(organisation=coop).count()
    log_in_as(page, DEMO_MEMBER)
    page.goto("/people/")
    field = page.get_by_role("search").get_by_label(label("Co-op"))
    # The browser's own autocomplete: the field suggests the co-ops' names from a datalist.
    suggestions = page.locator(f"datalist#{field.get_attribute('list')} option")
    assert coop.name in [option.get_attribute("value") for option in suggestions.all()]

    field.fill("frailejon")  # part of the name, without the accent, is enough
    field.press("Enter")
    expect(page.locator("#results-heading")).to_have_text(
        re.compile(rf"^{people} (person|people) found$")
    )
    metas = page.locator("#results .card .meta a").all_inner_texts()
    assert metas and set(metas) == {coop.name}

    field.fill("No Such Co-op")
    field.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("No co-op of the network is called")


def test_visitor_opening_a_members_only_profile_gets_the_sites_404(page: Page, settings):
    settings.DEBUG = True  # as in the demo that `make run` serves
    person = Person.objects.filter(
        profile_visibility=Person.ProfileVisibility.MEMBERS, organisation__status=MEMBER
    ).first()
    response = page.goto(f"/people/{person.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    login = page.get_by_role("main").get_by_role("link", name="log in")
    expect(login).to_have_attribute("href", f"/accounts/login/?next=/people/{person.pk}/")
    content = page.content()
    assert person.display_name not in content
    assert "URLconf" not in content
