"""The test suite runs against the real parts: PostgreSQL, Redis, a Celery worker, Chromium.

`make test` provisions them (scripts/testenv.py) and runs the suite in parallel with pytest-xdist:
each worker process has its own test database (pytest-django's `test_patio_gw0`) and its own
Redis databases (patio/settings_test.py), so no worker sees another's rows, tasks or cache. The
demo-seeding journeys and modules share data between their tests and run as one `xdist_group`.

Pure tests. A test marked `pure` needs none of the services: no database, no Redis, no Celery
worker, no browser (the matcher, diffs, money, slots, parsers, the import-cycle check…). A whole
module is marked with `pytestmark = pytest.mark.pure`. `make test-pure` (`pytest -m pure`) runs
them on a machine with nothing installed: without REDIS_URL the cache is process memory.

The rule: nothing is ever skipped for a missing service. After collection, if any selected test is
not pure and a service is missing, pytest stops before running anything and names what is missing.
A test marked pure that asks for a fixture needing a service (`db`, `client`, `live_server`,
`page`, `celery_worker`, …) is an error at collection, so the marker cannot drift into a lie.
Without the services xdist is switched off (only pure tests can run, and they take seconds).
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.worker_fixtures import celery_worker  # noqa: F401 - a fixture for every test

# Fixtures that reach PostgreSQL, Redis (through Celery), or Chromium. A pure test asks for none.
SERVICE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_user_model",
        "django_assert_num_queries",
        "django_assert_max_num_queries",
        "client",
        "admin_client",
        "admin_user",
        "api_client",
        "live_server",
        "celery_worker",
        "browser",
        "context",
        "new_context",
        "page",
    }
)


def missing_services() -> list[str]:
    missing = []
    if not settings.USES_POSTGRES:
        missing.append("PostgreSQL (DATABASE_URL=postgres://…)")
    if not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL=redis://…)")
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(chromium):
        missing.append(f"Chromium ({chromium})")
    return missing


MISSING_SERVICES = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[MISSING_SERVICES] = missing_services()
    if config.stash[MISSING_SERVICES] and not hasattr(config, "workerinput"):
        # Only pure tests can run now: keep them in this process, where the check below sees them.
        config.option.dist = "no"
        config.option.tx = []


def _service_fixtures(item: pytest.Item) -> list[str]:
    used = set(SERVICE_FIXTURES.intersection(getattr(item, "fixturenames", ())))
    if item.get_closest_marker("django_db"):
        used.add("django_db")
    return sorted(used)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wrong = [
        f"{item.nodeid} ({', '.join(used)})"
        for item in items
        if item.get_closest_marker("pure") and (used := _service_fixtures(item))
    ]
    if wrong:
        raise pytest.UsageError(
            "These tests are marked pure but use a service; drop the marker or the fixture:\n  "
            + "\n  ".join(wrong)
        )


def pytest_collection_finish(session: pytest.Session) -> None:
    missing = session.config.stash[MISSING_SERVICES]
    if not missing or session.config.option.collectonly:
        return
    needing = [item for item in session.items if not item.get_closest_marker("pure")]
    if needing:
        raise pytest.UsageError(
            f"{len(needing)} of the selected tests need the real services, and none may be "
            "skipped. Missing: "
            + ", ".join(missing)
            + ". Run `make test`, which installs and starts them, or `make test-pure` "
            "(pytest -m pure) for the tests that need none."
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


def queued_work(callbacks: list) -> list:
    """The after-commit callbacks that do work (tasks, emails), without the security log's lines
    (patio.security_signals logs each audited act once its transaction commits)."""
    from patio.security_log import security_event

    return [c for c in callbacks if getattr(c, "func", None) is not security_event]


def queued(task) -> list[list]:
    """The arguments of each `task` a write put in the outbox (patio.outbox) and that is not yet
    relayed, oldest first: what will run once the write's transaction commits."""
    from patio.models import OutboxMessage

    pending = OutboxMessage.objects.filter(task=task.name, relayed_at__isnull=True).order_by("pk")
    return [message.args for message in pending]
