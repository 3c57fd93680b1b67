"""THE participation rule: a person is active when they hold a current membership in an active
circle, passive otherwise. Services keep the stored field true; a daily task catches the dates
that pass with no write; the directory's filter and the circle pages read the same field."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from circles import services
from circles.models import Circle, CircleMembership
from circles.selectors import participation_by_rule
from circles.tasks import refresh_participation
from members.models import Person
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.worker_fixtures import wait_until

ACTIVE, PASSIVE = Person.Participation.ACTIVE, Person.Participation.PASSIVE


def _participation(person) -> str:
    return Person.objects.values_list("participation", flat=True).get(pk=person.pk)


@pytest.fixture
def newcomer(coop):
    """A person in no circle, stored as passive."""
    return PersonFactory(organisation=coop, display_name="Nina Newcomer")


@pytest.mark.django_db
def test_joining_a_circle_makes_a_person_active(circle, coordinator, newcomer):
    services.membership_add(actor=coordinator.user, circle=circle, person=newcomer)
    assert _participation(newcomer) == ACTIVE


@pytest.mark.django_db
def test_ending_the_only_membership_makes_a_person_passive(circle, coordinator, newcomer):
    membership = CircleMembershipFactory(circle=circle, person=newcomer, start_date=LONG_AGO)
    services.participation_refresh([newcomer.pk])
    assert _participation(newcomer) == ACTIVE

    services.membership_end(actor=coordinator.user, membership=membership)

    assert _participation(newcomer) == PASSIVE


@pytest.mark.django_db
def test_ending_one_membership_keeps_a_person_active_in_another_circle(
    circle, other_circle, coordinator, newcomer
):
    here = CircleMembershipFactory(circle=circle, person=newcomer, start_date=LONG_AGO)
    CircleMembershipFactory(circle=other_circle, person=newcomer, start_date=LONG_AGO)
    services.membership_end(actor=coordinator.user, membership=here)
    assert _participation(newcomer) == ACTIVE


@pytest.mark.django_db
def test_a_dormant_circle_makes_no_one_active(circle, network_admin, coordinator):
    services.participation_refresh([coordinator.pk])
    assert _participation(coordinator) == ACTIVE

    services.circle_update(
        actor=network_admin, circle=circle, data={"status": Circle.Status.DORMANT}
    )

    assert _participation(coordinator) == PASSIVE
    assert participation_by_rule(coordinator) == PASSIVE


@pytest.mark.django_db
def test_approving_a_join_request_makes_the_person_active(circle, coordinator, newcomer):
    request = services.membership_request_create(actor=newcomer.user, circle=circle, kind="join")
    services.membership_request_decide(actor=coordinator.user, request=request, approve=True)
    assert _participation(newcomer) == ACTIVE


@pytest.mark.django_db
def test_refresh_writes_only_the_rows_that_change(circle, coordinator, newcomer, member):
    CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    # A stale stored value, as a write that bypassed the services would leave it.
    Person.objects.filter(pk=member.pk).update(participation=PASSIVE)

    # member: passive -> active; coordinator stays active; newcomer stays passive.
    assert services.participation_refresh() == 1
    assert services.participation_refresh() == 0


@pytest.mark.django_db
def test_the_task_fixes_an_end_date_that_passed_with_no_write(circle, newcomer):
    """A membership set to end on a day in the past (it ended yesterday, say, with no write
    since): only the daily task can notice."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    CircleMembershipFactory(circle=circle, person=newcomer, start_date=LONG_AGO, end_date=yesterday)
    Person.objects.filter(pk=newcomer.pk).update(participation=ACTIVE)  # as stored last week

    assert refresh_participation() >= 1
    assert _participation(newcomer) == PASSIVE
    assert refresh_participation() == 0  # idempotent


def test_the_task_runs_on_a_real_worker_twice_with_the_same_result(celery_worker, coop):
    circle = CircleFactory(name="Education", slug="education")
    started = PersonFactory(organisation=coop, display_name="Sam Started")
    ended = PersonFactory(organisation=coop, display_name="Eve Ended")
    CircleMembershipFactory(circle=circle, person=started, start_date=timezone.localdate())
    CircleMembershipFactory(
        circle=circle,
        person=ended,
        start_date=LONG_AGO,
        end_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    # What was stored before the days turned: Sam not yet active, Eve still active.
    Person.objects.filter(pk=started.pk).update(participation=PASSIVE)
    Person.objects.filter(pk=ended.pk).update(participation=ACTIVE)

    first = refresh_participation.delay()
    wait_until(lambda: first.ready())
    second = refresh_participation.delay()
    wait_until(lambda: second.ready())

    assert first.get() == 2 and second.get() == 0
    assert (_participation(started), _participation(ended)) == (ACTIVE, PASSIVE)


@pytest.mark.django_db
def test_the_directory_filter_agrees_with_the_rule(
    circle, coordinator, newcomer, member, network_admin, login
):
    CircleMembershipFactory(
        circle=circle,
        person=member,
        start_date=LONG_AGO,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.participation_refresh()
    everyone = Person.objects.all()

    client = login(network_admin)
    page = client.get(reverse("members:people"), {"participation": "active"}).content.decode()
    api = client.get("/api/v1/people/", {"participation": "active", "page_size": 100}).json()

    by_rule = {p.display_name for p in everyone if participation_by_rule(p) == ACTIVE}
    assert by_rule == {coordinator.display_name}
    assert {row["display_name"] for row in api["results"]} == by_rule
    for person in everyone:
        assert (person.display_name in page) == (person.display_name in by_rule)


@pytest.mark.django_db
def test_circle_page_shows_active_and_passive_from_the_stored_field(circle, member, login):
    CircleMembership.objects.create(circle=circle, person=member, start_date=LONG_AGO)
    Person.objects.filter(pk=member.pk).update(participation=PASSIVE)  # stale until refreshed
    html = login(member.user).get(circle.get_absolute_url()).content.decode()
    assert "Mila Member" in html and "passive" in html

    services.participation_refresh([member.pk])

    html = login(member.user).get(circle.get_absolute_url()).content.decode()
    assert "passive" not in html
