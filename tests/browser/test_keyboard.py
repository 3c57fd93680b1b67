"""A keyboard-only walk (issue "Made for 26 countries and for phones"): logging in and answering
an assembly's RSVP with Tab, typing, Space and Enter, no mouse, at a phone's width, where the
menu is folded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assemblies.models import Rsvp
from tests.assemblies.factories import AssemblyFactory
from tests.conftest import PASSWORD
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def _tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`: it is reachable by keyboard, in
    the page's own order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab within {limit} presses")


def test_a_person_logs_in_and_answers_an_rsvp_with_the_keyboard_alone(
    transactional_db, new_context
):
    person = PersonFactory(display_name="Kai Keys", user__email="kai@example.coop")
    assembly = AssemblyFactory(title="Keyboard assembly", start=timezone.now() + timedelta(days=3))
    page = new_context(viewport={"width": 390, "height": 844}).new_page()

    page.goto("/accounts/login/")
    _tab_to(page, "input[name=login]")
    page.keyboard.type("kai@example.coop")
    _tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_attached()

    page.goto(assembly.get_absolute_url())
    _tab_to(page, "input[name=answer]")  # the first of the radio group
    page.keyboard.press("Space")
    _tab_to(page, "form[action$='/rsvp/'] button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_be_visible()
    answer = Rsvp.objects.get(assembly=assembly, person=person)
    assert answer.answer == Rsvp.Answer.GOING
