"""Browser tests: headless Debian Chromium (tests/conftest.py launches it) against `live_server`.

`live_server` runs the site in a thread on committed data (pytest-django makes every test that
uses it transactional), serving static files, so htmx and our CSS load as in production.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

# Fail fast: a step that has not happened within 10 s (on a busy machine) will not happen.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def label(text: str) -> re.Pattern:
    """A control's label, exactly, with or without the colon Django's forms put after it."""
    return re.compile(rf"^{re.escape(text)}:?$")


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright's sync API keeps an asyncio loop running in the main thread until the session
    ends, and while it runs Django keeps the main thread's database connections apart from the
    ones it opened before. Close those before the loop stops: otherwise one left open by a later
    test stays hidden from pytest-django, which then cannot drop the test database."""
    yield playwright
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Lets tests write `page.goto("/coops/")`."""
    return live_server.url


@pytest.fixture
def new_context(new_context):
    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    return _new_context


@pytest.fixture
def log_in():
    """Log in through the login page, as a person does."""

    def _log_in(page: Page, email: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label(label("Email")).fill(email)
        page.get_by_label(label("Password")).fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("form[action='/accounts/logout/'] button")).to_be_attached()

    return _log_in


def open_menu(page: Page, group: str) -> None:
    """Open one group of the main menu ("Network", "Work", "Decide", "Learn", "Account"), as
    a person clicks it (on a phone, "Menu" first: the groups are open inside it)."""
    menu = page.locator("details.site-menu")
    if not menu.evaluate("details => details.open"):
        menu.locator("summary").click()
    summary = page.get_by_role("navigation", name="Main").locator("summary", has_text=group)
    if not summary.evaluate("summary => summary.parentElement.open"):
        summary.click()


def log_out(page: Page) -> None:
    """Log out from the Account menu, as a person does."""
    open_menu(page, "Account")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
