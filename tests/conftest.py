"""The test suite runs against the real parts: PostgreSQL, Redis, a Celery worker, Chromium.

`make test` provisions them (scripts/testenv.py). Run pytest without them and it stops at once
with a message saying so: it never skips those tests silently.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.worker_fixtures import celery_worker  # noqa: F401 - a fixture for every test


def pytest_configure(config):
    missing = []
    if not settings.USES_POSTGRES:
        missing.append("PostgreSQL (DATABASE_URL=postgres://…)")
    if not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL=redis://…)")
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(chromium):
        missing.append(f"Chromium ({chromium})")
    if missing:
        raise pytest.UsageError(
            "The test suite needs the real services and none may be skipped. Missing: "
            + ", ".join(missing)
            + ". Run `make test`, which installs and starts them."
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


# The fixed cast -------------------------------------------------------------------------------
PASSWORD = "correct horse battery"


@pytest.fixture
def coop(db):
    return OrganisationFactory(name="Camplight", slug="camplight", country="BG")


@pytest.fixture
def other_coop(db):
    return OrganisationFactory(name="Facttic Sur", slug="facttic-sur", country="AR", city="Rosario")


@pytest.fixture
def member(coop):
    """A member of the co-op `coop`."""
    return PersonFactory(
        organisation=coop, display_name="Mila Member", user__email="mila@camplight.coop"
    )


@pytest.fixture
def colleague(coop):
    """Another member of the same co-op."""
    return PersonFactory(
        organisation=coop, display_name="Ivan Colleague", user__email="ivan@camplight.coop"
    )


@pytest.fixture
def coop_admin(coop):
    return PersonFactory(
        organisation=coop,
        display_name="Ana Admin",
        user__email="ana@camplight.coop",
        is_coop_admin=True,
    )


@pytest.fixture
def outsider(other_coop):
    """A member of another co-op."""
    return PersonFactory(
        organisation=other_coop, display_name="Omar Outsider", user__email="omar@facttic.coop"
    )


@pytest.fixture
def network_admin(db):
    user = UserFactory(email="admin@patio.coop", is_staff=True)
    return user


@pytest.fixture
def deactivated(coop):
    person = PersonFactory(
        organisation=coop, display_name="Dora Deactivated", user__email="dora@camplight.coop"
    )
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    return person


@pytest.fixture
def login(client):
    """Log a user in with the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


class QueryCounter:
    """Counts queries and, when a limit is broken, prints every statement (as zulip does)."""

    def __init__(self, connection):
        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    @property
    def count(self) -> int:
        return len(self.context.captured_queries)

    def report(self) -> str:
        return "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(self.context.captured_queries, 1))


@pytest.fixture
def count_queries():
    from django.db import connection

    return lambda: QueryCounter(connection)


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread; start every test in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
