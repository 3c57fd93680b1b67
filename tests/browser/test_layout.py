"""The header, the language menu, the error summary and right-to-left, in Chromium at a phone's
width and a desktop's (issue "Made for 26 countries and for phones")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def coops(transactional_db):
    for n in range(3):
        OrganisationFactory(name=f"Cooperativa número {n}", slug=f"coop-{n}")


def test_on_a_phone_the_menu_folds_away_and_opens_and_the_heading_is_on_the_first_screen(
    coops, new_context
):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/coops/")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_in_viewport()
    assert heading.bounding_box()["y"] < 300  # the menu no longer takes half the first screen
    links = page.get_by_role("navigation", name="Main").get_by_role("link", name="Circles")
    expect(links).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(links).to_be_visible()
    # The section being read is marked, for eyes and for screen readers.
    expect(page.get_by_role("link", name="Co-ops")).to_have_attribute("aria-current", "page")
    assert page.evaluate(OVERFLOW) <= 0


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_on_a_desktop_the_menu_is_one_row_of_groups_that_drop_down(
    coops, new_context, signed_in, member, log_in
):
    page = new_context(viewport=DESKTOP).new_page()
    if signed_in:
        log_in(page, "mila@camplight.coop")
    page.goto("/coops/")

    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    items = nav.locator(":scope > ul > li")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    # One row: every item's box overlaps every other's vertically.
    assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes), boxes
    circles = nav.get_by_role("link", name="Circles")
    expect(circles).to_be_hidden()
    # The group holding the page being read is marked; it opens with a click, another closes it.
    network = nav.locator("summary", has_text="Network")
    assert network.evaluate("s => getComputedStyle(s).fontWeight") == "700"
    network.click()
    expect(circles).to_be_visible()
    nav.locator("summary", has_text="Learn").click()
    expect(circles).to_be_hidden()
    expect(nav.get_by_role("link", name="Guides")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Guides")).to_be_hidden()
    assert page.evaluate(OVERFLOW) <= 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_language_menu_changes_the_language_in_one_click(coops, new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/coops/")

    page.locator(".language-switcher summary").click()
    page.get_by_role("button", name="Français").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/coops/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Coopératives du réseau")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_page_turned_right_to_left_does_not_overflow(coops, new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/coops/")
    page.evaluate("document.documentElement.dir = 'rtl'")

    assert page.evaluate(OVERFLOW) <= 0
    # Logical properties: the brand now starts on the right.
    brand = page.get_by_role("link", name="Patio", exact=True).bounding_box()
    assert brand["x"] + brand["width"] > viewport["width"] / 2


def test_a_failed_login_puts_focus_on_the_error_summary(transactional_db, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in").click()  # nothing filled in

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
