"""The pages delegated votes, draft minutes and the rotation show on: each runs a constant
number of queries however many delegations, volunteers, suggestions and revisions there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assemblies import services
from assemblies.models import Assembly
from circles.models import CircleMembership
from circles.services import participation_refresh
from tests.assemblies.factories import AssemblyFactory, SeriesFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _active(coop, circle, n):
    people = [PersonFactory(organisation=coop) for _ in range(n)]
    for person in people:
        CircleMembership.objects.get_or_create(circle=circle, person=person)
    return people


@pytest.mark.parametrize("size", [2, 12])
def test_the_next_assembly_page_with_delegations_and_rotation_runs_constant_queries(
    login, coop, circle, network_admin, size, django_assert_max_num_queries
):
    series = SeriesFactory()
    people = _active(coop, circle, size * 2 + 1)
    participation_refresh()
    for n, person in enumerate(people[:size]):
        AssemblyFactory(
            series=series,
            start=timezone.now() - timedelta(days=30 * (n + 1)),
            facilitator=person,
            note_taker=people[-1],
            status=Assembly.Status.CLOSED,
        )
    upcoming = AssemblyFactory(series=series)
    for person in people[:size]:
        services.series_volunteer_set(actor=person.user, series=series, volunteering=True)
    for giver, carrier in zip(people[size : size * 2], people[:size], strict=True):
        services.delegate_vote(actor=giver.user, assembly=upcoming, delegate=carrier)

    for user in (people[-1].user, network_admin):
        client = login(user)
        with django_assert_max_num_queries(34):
            page = client.get(upcoming.get_absolute_url())
        assert page.status_code == 200
        assert "The series suggests" in page.content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_the_live_view_with_delegations_runs_constant_queries(
    login, coop, circle, open_assembly, facilitator, size, django_assert_max_num_queries
):
    people = _active(coop, circle, size * 2)
    participation_refresh()
    for giver, carrier in zip(people[:size], people[size:], strict=True):
        services.delegate_vote(actor=giver.user, assembly=open_assembly, delegate=carrier)
    client = login(facilitator.user)

    with django_assert_max_num_queries(28):
        page = client.get(reverse("assemblies:run", args=[open_assembly.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_a_closed_assembly_with_draft_minutes_runs_constant_queries(
    login, coop, circle, open_assembly, facilitator, note_taker, size, django_assert_max_num_queries
):
    people = _active(coop, circle, size)
    participation_refresh()
    assembly = open_assembly
    services.attendance_set(actor=facilitator.user, assembly=assembly, people=people)
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="closed")
    assembly.refresh_from_db()
    services.minutes_publish(actor=note_taker.user, assembly=assembly, text="We met.")
    for n, person in enumerate(people):
        suggestion = services.correction_suggest(
            actor=person.user, assembly=assembly, text=f"Point {n}.", reason="Missing."
        )
        if n % 2:
            services.correction_decide(actor=facilitator.user, correction=suggestion, accept=True)

    for user in (people[0].user, facilitator.user):
        client = login(user)
        with django_assert_max_num_queries(30):
            page = client.get(assembly.get_absolute_url())
        assert page.status_code == 200
        assert "Point 1." in page.content.decode()
