"""Memberships are dated on the network's calendar, whoever acts and whenever they do.

A coordinator in Tokyo approving a member at 08:30 (23:30 UTC the day before) and one in Bogotá
approving at 19:30 (00:30 UTC the next day) both start the membership on the network's date, and
the member holds it at once: on the circle page, in `current()` and in the participation rule.
These run under a frozen clock on both sides of midnight UTC, so the suite passes at every hour.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from circles.models import CircleMembership, MembershipRequest
from members.models import Person
from patio.dates import network_today
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleMembershipFactory

Role = CircleMembership.Role

CLOCKS = {
    "23:30 UTC": datetime.datetime(2026, 3, 14, 23, 30, tzinfo=datetime.UTC),
    "00:30 UTC": datetime.datetime(2026, 3, 15, 0, 30, tzinfo=datetime.UTC),
}
ZONES = ["America/Bogota", "Asia/Tokyo"]  # UTC-5 and UTC+9

at_every_hour = pytest.mark.parametrize(
    ("clock", "zone"),
    [(clock, zone) for clock in CLOCKS for zone in ZONES],
    ids=[f"{clock} by a coordinator in {zone}" for clock in CLOCKS for zone in ZONES],
)


@pytest.fixture
def travel():
    def _travel(clock: str):
        return time_machine.travel(CLOCKS[clock], tick=False)

    return _travel


def _in_zone(person: Person, zone: str) -> None:
    person.timezone = zone
    person.save(update_fields=["timezone"])


@at_every_hour
def test_an_approved_join_holds_from_the_network_date_at_once(
    client, travel, circle, coordinator, member, clock, zone
):
    _in_zone(coordinator, zone)
    _in_zone(member, "Europe/Sofia")
    with travel(clock):
        client.force_login(member.user)
        client.post(reverse("circles:request", args=[circle.slug]), {"kind": "join"})
        request = MembershipRequest.objects.get(person=member)
        client.force_login(coordinator.user)
        client.post(
            reverse("circles:request_decide", args=[circle.slug, request.pk]),
            {"decision": "approve"},
        )

        membership = CircleMembership.objects.get(circle=circle, person=member)
        assert membership.start_date == CLOCKS[clock].date() == network_today()
        assert CircleMembership.objects.current().filter(pk=membership.pk).exists()
        member.refresh_from_db()
        assert member.participation == Person.Participation.ACTIVE
        page = client.get(circle.get_absolute_url()).content.decode()
        assert "joined as Member" in page


@at_every_hour
def test_a_role_change_ends_the_old_row_yesterday_and_the_new_one_holds_today(
    client, travel, circle, coordinator, member, clock, zone
):
    _in_zone(coordinator, zone)
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    with travel(clock):
        client.force_login(coordinator.user)
        client.post(
            reverse("circles:membership_change", args=[circle.slug, membership.pk]),
            {
                f"m{membership.pk}-role": "secretary",
                f"m{membership.pk}-hours_per_month": "5",
                f"m{membership.pk}-duties": "Minutes",
            },
        )

        today = CLOCKS[clock].date()
        current = CircleMembership.objects.current().get(circle=circle, person=member)
        assert (current.role, current.start_date) == (Role.SECRETARY, today)
        membership.refresh_from_db()
        assert membership.end_date == today - datetime.timedelta(days=1)
        page = client.get(circle.get_absolute_url()).content.decode()
        assert "changed role from Member to Secretary" in page


@pytest.mark.pure
def test_the_network_date_follows_the_configured_zone_not_the_reader(settings):
    from django.utils import timezone

    settings.NETWORK_TIMEZONE = "Pacific/Auckland"
    with time_machine.travel(CLOCKS["23:30 UTC"], tick=False), timezone.override("America/Bogota"):
        assert network_today() == datetime.date(2026, 3, 15)
    settings.NETWORK_TIMEZONE = "UTC"
    with time_machine.travel(CLOCKS["23:30 UTC"], tick=False), timezone.override("Asia/Tokyo"):
        assert network_today() == datetime.date(2026, 3, 14)
