"""Journey tests: the demo network that `make run` serves, walked through the real pages.

The package seeds the demo once with `manage.py seed_demo` on the test PostgreSQL database and
commits it, so the live server thread and the Celery worker (each with its own connection) see
what a person sees. Journeys then run against that data as the demo accounts, in Chromium.

The data is shared by every test in this package, so each journey works on objects of its own
(its own opportunity, its own assembly) or restores what it changed. When the package ends, the
database is flushed, as pytest-django does after every transactional test, so later tests start
from an empty database. Under pytest-xdist the package is one `xdist_group`: its journeys run one
after another on one worker, which seeds the demo once.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from members.demo_data import DEMO_PASSWORD
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures, shared
    TIMEOUT_MS,
    base_url,
    label,
    new_context,
    playwright,
)

DEMO_ADMIN = "admin@patio.example"
DEMO_COORDINATOR = "coordinator@patio.example"
DEMO_MEMBER = "member@patio.example"
HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("journeys"))


@pytest.fixture(scope="package")
def demo_network(django_db_setup, django_db_blocker) -> str:
    """Seed the demo once for the package; flush it when the package is done."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper():
    """pytest-django makes every test that uses `live_server` transactional, flushing the
    database after it; here that would wipe the demo, so this package opts out (see
    `_demo_db`, which gives the test database access without a flush)."""


@pytest.fixture(autouse=True)
def _demo_db(demo_network, django_db_blocker):
    """Every journey may read and write the committed demo data."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def _empty_outbox():
    from django.core import mail

    mail.outbox = []
    yield


@pytest.fixture
def demo_worker():
    """A real Celery worker on the real Redis, for journeys whose outcome a task delivers.
    Like `tests.worker_fixtures.celery_worker`, without asking for a flushed database."""
    from tests.worker_fixtures import running_worker

    with running_worker() as worker:
        yield worker


@pytest.fixture
def log_in_as():
    """Log in through the login page as a demo account, as a person does."""

    def _log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
        # By field name, not label: a demo account may read the site in Spanish once logged in,
        # and the login page follows the browser's language.
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        expect(
            page.locator("form[action='/accounts/logout/'] button")
        ).to_be_attached()  # folded in the menu on a phone

    return _log_in
