"""Journey: search forgives accents and case, as a visitor types it on the demo directory."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_visitor_typing_koln_finds_the_koln_coop(page: Page):
    page.goto("/coops/")
    search = page.get_by_role("search").get_by_role("textbox", name="Search")
    search.fill("Koln")
    search.press("Enter")
    expect(page.get_by_role("link", name="Brückenbau Software eG")).to_be_visible()
