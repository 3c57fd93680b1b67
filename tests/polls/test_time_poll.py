"""The time poll across three timezones and a DST change, and the one click that turns the
winning slot into the assembly.

Europe/Lisbon moves its clocks from 01:00 UTC on Sunday 28 March 2027 (UTC+0 to UTC+1);
America/Sao_Paulo (UTC-3) and Asia/Tokyo (UTC+9) keep theirs. Three slots, in UTC:

    Sat 27 March 12:00   Lisbon 12:00 Sat   São Paulo 09:00 Sat   Tokyo 21:00 Sat
    Sun 28 March 12:00   Lisbon 13:00 Sun   São Paulo 09:00 Sun   Tokyo 21:00 Sun
    Sun 28 March 23:30   Lisbon 00:30 Mon   São Paulo 20:30 Sun   Tokyo 08:30 Mon

The same UTC noon reads 12:00 then 13:00 in Lisbon, and the last slot falls on the Monday of
the next week in Lisbon and Tokyo but on the Sunday in São Paulo."""

from __future__ import annotations

import datetime as dt
from datetime import UTC

import pytest
from django.urls import reverse

from assemblies.models import Assembly
from polls import services
from polls.grid import week_grid
from polls.models import Poll
from tests.circles.factories import CircleMembershipFactory
from tests.factories import PersonFactory
from tests.polls.conftest import option_ids

SLOTS = [
    dt.datetime(2027, 3, 27, 12, 0, tzinfo=UTC),
    dt.datetime(2027, 3, 28, 12, 0, tzinfo=UTC),
    dt.datetime(2027, 3, 28, 23, 30, tzinfo=UTC),
]


def _layout(zone: str) -> list[list[tuple[str, str]]]:
    """Per week, the (day, local clock) of each slot."""
    return [
        [(f"{d.day:%a %d}", f"{start:%H:%M}") for d in week.days for _slot, start in d.slots]
        for week in week_grid([(i, s) for i, s in enumerate(SLOTS)], zone)
    ]


@pytest.mark.pure
def test_lisbon_sees_the_dst_change_and_the_last_slot_in_the_next_week():
    assert _layout("Europe/Lisbon") == [
        [("Sat 27", "12:00"), ("Sun 28", "13:00")],
        [("Mon 29", "00:30")],
    ]


@pytest.mark.pure
def test_sao_paulo_sees_one_week_on_its_own_clock():
    assert _layout("America/Sao_Paulo") == [
        [("Sat 27", "09:00"), ("Sun 28", "09:00"), ("Sun 28", "20:30")]
    ]


@pytest.mark.pure
def test_tokyo_sees_the_last_slot_on_monday_morning():
    assert _layout("Asia/Tokyo") == [
        [("Sat 27", "21:00"), ("Sun 28", "21:00")],
        [("Mon 29", "08:30")],
    ]


@pytest.mark.pure
def test_every_week_has_its_seven_days_monday_first():
    weeks = week_grid([(0, SLOTS[0])], "Europe/Lisbon")
    assert [d.day for d in weeks[0].days] == [
        dt.date(2027, 3, 22) + dt.timedelta(i) for i in range(7)
    ]


@pytest.fixture
def voters(circle, coop):
    people = {}
    for zone in ("Europe/Lisbon", "America/Sao_Paulo", "Asia/Tokyo"):
        person = PersonFactory(organisation=coop, display_name=f"Voter in {zone}", timezone=zone)
        CircleMembershipFactory(circle=circle, person=person)
        people[zone] = person
    return people


@pytest.mark.django_db
def test_three_zones_vote_on_their_own_clocks_and_the_coordinator_schedules_the_winner(
    make_poll, voters, coordinator, login, network_admin
):
    poll = make_poll(
        Poll.Kind.TIME,
        title="When is the March assembly?",
        slots=SLOTS,
        slot_minutes=120,
        closes_at=dt.datetime(2027, 3, 1, tzinfo=UTC),
        now=dt.datetime(2027, 2, 1, tzinfo=UTC),
    )
    sat, sun, late = option_ids(poll)

    lisbon = login(voters["Europe/Lisbon"].user).get(poll.get_absolute_url()).content.decode()
    assert 'datetime="2027-03-28T13:00:00+0100"' in lisbon  # the UTC noon after the change
    assert 'datetime="2027-03-27T12:00:00+0000"' in lisbon
    tokyo = login(voters["Asia/Tokyo"].user).get(poll.get_absolute_url()).content.decode()
    assert 'datetime="2027-03-29T08:30:00+0900"' in tokyo

    ballots = {
        "Europe/Lisbon": {sat: "yes", sun: "yes", late: "no"},
        "America/Sao_Paulo": {sat: "maybe", sun: "yes", late: "yes"},
        "Asia/Tokyo": {sat: "yes", sun: "no", late: "no"},
    }
    for zone, slots in ballots.items():
        client = login(voters[zone].user)
        data = {f"slot-{pk}": value for pk, value in slots.items()}
        assert client.post(reverse("polls:vote", args=[poll.pk]), data).status_code == 302

    # Saturday and Sunday have two yes each; Saturday also has an if-need-be, so it wins.
    services.poll_close(actor=poll.author.user, poll=poll)
    page = login(coordinator.user).get(poll.get_absolute_url()).content.decode()
    assert "Schedule the assembly at the winning slot" in page

    response = login(coordinator.user).post(reverse("polls:assembly", args=[poll.pk]))
    assembly = Assembly.objects.get()
    assert response.status_code == 302 and response["Location"] == assembly.get_absolute_url()
    assert assembly.start == SLOTS[0]
    assert assembly.duration_minutes == 120
    # Its iCal entry, as the assemblies app serves it.
    ics = login(coordinator.user).get(reverse("assemblies:ics", args=[assembly.pk]))
    assert ics.status_code == 200
    assert b"DTSTART:20270327T120000Z" in ics.content
    # One click only.
    again = login(coordinator.user).post(reverse("polls:assembly", args=[poll.pk]))
    assert again.status_code == 403
    assert Assembly.objects.count() == 1


@pytest.mark.django_db
def test_a_member_who_is_not_author_or_coordinator_cannot_schedule(make_poll, voters, login):
    poll = make_poll(
        Poll.Kind.TIME,
        slots=SLOTS,
        closes_at=dt.datetime(2027, 3, 1, tzinfo=UTC),
        now=dt.datetime(2027, 2, 1, tzinfo=UTC),
    )
    voter = voters["Asia/Tokyo"]
    services.vote_cast(
        actor=voter.user, poll=poll, answer={"slots": {str(option_ids(poll)[0]): "yes"}}
    )
    services.poll_close(actor=poll.author.user, poll=poll)
    assert login(voter.user).post(reverse("polls:assembly", args=[poll.pk])).status_code == 403
    assert not Assembly.objects.exists()
