"""Keyboard-only walks (issues "Made for 26 countries and for phones" and 17): logging in,
answering an assembly's RSVP, and posting a job opportunity, with Tab, Shift+Tab, typing, Space
and Enter, no mouse, at a phone's width, where the menu is folded. Wherever the focus lands, it
can be seen: the element is on the screen and draws a focus ring."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assemblies.models import Rsvp
from projects.models import Opportunity
from tests.assemblies.factories import AssemblyFactory
from tests.circles.factories import CircleFactory, CoordinatorFactory
from tests.conftest import PASSWORD
from tests.factories import LanguageFactory, PersonFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Why the focused element could not be seen, or "" when it can: it must be on the screen and
# draw a ring (an outline or a box shadow), as patio.css gives every control.
FOCUS_UNSEEN_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has the focus';
  const style = getComputedStyle(el);
  // A date's or a time's picker button (the clock) takes the focus inside the field, which then
  // matches no :focus; Chromium draws its own ring around that button.
  const onItsPicker = el.matches('input[type=date], input[type=time], input[type=month]')
    && !el.matches(':focus');
  const ring = onItsPicker || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < window.innerHeight && box.left < window.innerWidth;
  if (ring && onScreen) return '';
  return `${el.outerHTML.slice(0, 120)}: ${ring ? '' : 'no focus ring; '}` +
    `${onScreen ? '' : 'off the screen'}`;
}"""


def _focus_is_seen(page: Page) -> None:
    unseen = page.evaluate(FOCUS_UNSEEN_JS)
    assert not unseen, f"the focus cannot be seen on {page.url}: {unseen}"


def _tab_to(page: Page, selector: str, *, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`: it is reachable by
    keyboard, in the page's own order, and the focus can be seen at every stop on the way."""
    for _ in range(limit):
        page.keyboard.press(key)
        _focus_is_seen(page)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with {key} within {limit} presses")


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    _tab_to(page, "input[name=login]")
    page.keyboard.type(email)
    _tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_attached()


def test_a_person_logs_in_and_answers_an_rsvp_with_the_keyboard_alone(
    transactional_db, new_context
):
    person = PersonFactory(display_name="Kai Keys", user__email="kai@example.coop")
    assembly = AssemblyFactory(title="Keyboard assembly", start=timezone.now() + timedelta(days=3))
    page = new_context(viewport=PHONE).new_page()

    _log_in(page, "kai@example.coop")

    page.goto(assembly.get_absolute_url())
    _tab_to(page, "input[name=answer]")  # the first of the radio group
    page.keyboard.press("Space")
    _tab_to(page, "form[action$='/rsvp/'] button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_be_visible()
    answer = Rsvp.objects.get(assembly=assembly, person=person)
    assert answer.answer == Rsvp.Answer.GOING


# More languages than a short list holds: the form's list has its filter box.
LANGUAGES = {
    "bg": "Bulgarian",
    "ca": "Catalan",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "eu": "Basque",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "pt": "Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
}


def test_the_coordinator_posts_an_opportunity_with_the_keyboard_alone(
    transactional_db, new_context
):
    circle = CircleFactory(name="Job opportunities", slug="job-opportunities")
    person = PersonFactory(display_name="Cora Keys", user__email="cora@example.coop")
    CoordinatorFactory(circle=circle, person=person)
    languages = {code: LanguageFactory(code=code, name=name) for code, name in LANGUAGES.items()}
    page = new_context(viewport=PHONE).new_page()
    _log_in(page, "cora@example.coop")

    # From the navigation, folded behind "Menu" on a phone.
    _tab_to(page, "details.site-menu > summary")
    page.keyboard.press("Enter")
    _tab_to(page, "nav a[href='/opportunities/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/opportunities/$"))
    _tab_to(page, "main a[href='/opportunities/new/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post an opportunity")

    _tab_to(page, "input[name=title]")
    page.keyboard.type("Booking system for a community kitchen")
    _tab_to(page, "textarea[name=description]")
    page.keyboard.type("Bookings, a waiting list and reminders.")
    # The working languages: typed into the list's filter, the match ticked with Space.
    _tab_to(page, "[data-checklist-filter][aria-controls=id_working_languages]")
    page.keyboard.type("span")
    expect(page.locator("#id_working_languages [data-checklist-option]:visible")).to_have_count(1)
    _tab_to(page, "input[name=working_languages]", limit=1)  # the one shown comes next
    expect(page.locator("input[name=working_languages]:focus")).to_have_accessible_name("Spanish")
    page.keyboard.press("Space")
    # Back to the filter box and forth: the tick holds.
    _tab_to(page, "[data-checklist-filter]", key="Shift+Tab", limit=1)
    _tab_to(page, "input[name=working_languages]:checked", limit=1)
    expect(page.locator("#id_working_languages input:checked")).to_have_count(1)
    # The first role.
    _tab_to(page, "input[name='roles-0-title']")
    page.keyboard.type("Backend developer")
    _tab_to(page, "input[name='roles-0-hours_per_week']")
    page.keyboard.type("20")
    # Enter in a field saves, as the Save button does (it used to add another role instead).
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Booking system for a community kitchen"
    )
    opportunity = Opportunity.objects.get()
    expect(page).to_have_url(re.compile(rf"/opportunities/{opportunity.pk}/$"))
    assert opportunity.description == "Bookings, a waiting list and reminders."
    assert opportunity.circle == circle and opportunity.posted_by == person
    assert list(opportunity.working_languages.all()) == [languages["es"]]
    assert [(role.title, role.hours_per_week) for role in opportunity.roles.all()] == [
        ("Backend developer", 20)
    ]
