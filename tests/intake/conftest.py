"""The intake's cast on top of the fixed one: a circle that triages requests and its coordinator,
another circle and its coordinator, and a request waiting in the inbox."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.circles.factories import CoordinatorFactory
from tests.factories import LanguageFactory, PersonFactory
from tests.intake.factories import HelpRequestFactory, TriageCircleFactory


@pytest.fixture(autouse=True)
def _no_minimum_fill_time():
    """Tests post the form at once; the minimum fill time has tests of its own."""
    with override_settings(HELP_REQUEST_MIN_SECONDS=0):
        yield


@pytest.fixture
def triage_circle(db):
    return TriageCircleFactory(name="Job opportunities", slug="job-opportunities")


@pytest.fixture
def other_circle(db):
    return TriageCircleFactory(
        name="Communication", slug="communication", triages_help_requests=False
    )


@pytest.fixture
def triager(colleague, triage_circle):
    """Ivan, a current coordinator of the circle that triages requests."""
    CoordinatorFactory(circle=triage_circle, person=colleague)
    return colleague


@pytest.fixture
def other_coordinator(outsider, other_circle):
    """Omar, coordinator of a circle that does not triage requests."""
    CoordinatorFactory(circle=other_circle, person=outsider)
    return outsider


@pytest.fixture
def admin_person(coop):
    """A network admin who is also a person of the network (so can post opportunities)."""
    person = PersonFactory(
        organisation=coop, display_name="Elena Admin", user__email="elena@camplight.coop"
    )
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    return person


@pytest.fixture
def spanish(db):
    return LanguageFactory(code="es", name="Spanish")


@pytest.fixture
def help_request(db, spanish):
    request = HelpRequestFactory(
        organisation_name="Olla Popular Cerro", contact_email="rosa@olla.example"
    )
    request.preferred_languages.set([spanish])
    return request
