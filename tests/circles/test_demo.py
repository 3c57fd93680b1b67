"""The demo circles `seed_demo` adds: six circles, about 30 active members, some history and a
couple of pending requests; running it again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from circles import demo
from circles.models import Circle, CircleMembership, MembershipRequest
from circles.selectors import participation_by_rule
from members.models import Person

# The demo is seeded once for the module: under pytest-xdist its tests stay on one worker.
pytestmark = pytest.mark.xdist_group("circles-demo")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        "circles": Circle.objects.count(),
        "memberships": CircleMembership.objects.count(),
        "requests": MembershipRequest.objects.count(),
        "active": Person.objects.filter(participation="active").count(),
    }


def test_demo_has_the_networks_circles_some_nested(seeded, db):
    names = set(Circle.objects.values_list("name", flat=True))
    assert {
        "Job opportunities",
        "Business development",
        "Communication",
        "Education",
        "Finance",
        "Tech infrastructure",
    } <= names
    jobs = Circle.objects.get(slug="job-opportunities")
    assert jobs.triages_help_requests
    assert Circle.objects.filter(parent=jobs).count() >= 2


def test_every_demo_circle_has_a_coordinator_and_the_demo_accounts_have_their_places(seeded, db):
    current = CircleMembership.objects.current()
    for circle in Circle.objects.all():
        assert current.filter(circle=circle, role="coordinator").exists(), circle
    assert current.filter(
        circle__slug="job-opportunities",
        role="coordinator",
        person__user__email="coordinator@patio.example",
    ).exists()
    finance_accounts = set(
        current.filter(circle__slug="finance", person__user__isnull=False).values_list(
            "person__user__email", flat=True
        )
    )
    # three approvers with accounts, all of them demo accounts the README lists
    assert finance_accounts == {
        "admin@patio.example",
        "member@patio.example",
        "coordinator@patio.example",
    }


def test_about_30_people_are_active_as_the_rule_says_the_rest_passive(seeded, db):
    active = Person.objects.filter(participation="active")
    assert 25 <= active.count() <= 35
    assert Person.objects.filter(participation="passive").count() > 1000
    for person in active:
        assert participation_by_rule(person) == "active"


def test_demo_keeps_history_and_pending_requests(seeded, db):
    assert CircleMembership.objects.filter(end_date__isnull=False).count() >= 6
    assert MembershipRequest.objects.filter(status="pending").count() >= 2


def test_seeding_the_circles_again_adds_nothing(seeded, db):
    before = _counts()
    demo.seed(say=lambda message: None)
    assert _counts() == before
