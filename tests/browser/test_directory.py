"""A visitor finds a co-op by what its people can do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from members.search import refresh_search_vectors
from tests.browser.conftest import label
from tests.factories import OrganisationFactory, PersonFactory, PersonSkillFactory, SkillFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def directory(transactional_db):
    """Three co-ops: only one is in Argentina *and* has a person who does bookkeeping."""
    bookkeeping = SkillFactory(name="Bookkeeping")
    welding = SkillFactory(name="Welding")
    for name, slug, country, skill in [
        ("La Cooperativa del Norte", "del-norte", "AR", bookkeeping),
        ("Balkan Ledger", "balkan-ledger", "BG", bookkeeping),
        ("Taller Sur", "taller-sur", "AR", welding),
    ]:
        coop = OrganisationFactory(name=name, slug=slug, country=country)
        PersonSkillFactory(person=PersonFactory(organisation=coop), skill=skill)
    refresh_search_vectors()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-htmx", "without-javascript"])
def test_visitor_searches_for_a_skill_filters_by_country_and_opens_a_coop(
    directory, new_context, javascript
):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto("/coops/")
    expect(page.get_by_role("heading", name="3 co-ops found")).to_be_visible()
    if javascript:
        # Survives only if the results are swapped in place rather than by loading a new page.
        page.evaluate("window.stillTheSamePage = true")

    page.get_by_label(label("Search")).fill("bookkeeping")
    page.get_by_role("group", name="Country").get_by_label("Argentina").check()
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("heading", name="1 co-op found")).to_be_visible()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="La Cooperativa del Norte")).to_be_visible()
    expect(results.get_by_role("link", name="Balkan Ledger")).to_have_count(0)
    expect(results.get_by_role("link", name="Taller Sur")).to_have_count(0)
    # The address names the search, so it can be shared, bookmarked and reloaded.
    expect(page).to_have_url(re.compile(r"/coops/\?(?=.*q=bookkeeping)(?=.*country=AR)"))
    if javascript:
        assert page.evaluate("window.stillTheSamePage") is True

    results.get_by_role("link", name="La Cooperativa del Norte").click()

    expect(page).to_have_url(re.compile(r"/coops/del-norte/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("La Cooperativa del Norte")


def test_keyboard_user_skips_straight_to_the_content(page, transactional_db):
    page.goto("/coops/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
