"""Journey: a time poll creates the next assembly. The demo coordinator opens the demo's time
poll (voted on from several timezones), closes it early, and with one click schedules the
assembly at the winning slot; it is then listed on the assemblies page, with its iCal entry at
the winning time."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assemblies.models import Assembly
from members.models import Person
from polls.models import Ballot, Poll
from polls.selectors import results
from tests.journeys.conftest import DEMO_COORDINATOR

TITLE = "When should the extra assembly on pay meet?"


@pytest.fixture
def time_poll():
    """The demo's time poll, put back as it was afterwards (open, with no assembly)."""
    coordinator = Person.objects.get(user__email=DEMO_COORDINATOR)
    Person.objects.filter(pk=coordinator.pk).update(language="en")
    poll = Poll.objects.get(title=TITLE)
    yield poll
    Assembly.objects.filter(title=TITLE).delete()
    Poll.objects.filter(pk=poll.pk).update(closed_at=None, assembly=None)
    Person.objects.filter(pk=coordinator.pk).update(language=coordinator.language)


def test_a_time_poll_creates_the_next_assembly(page: Page, log_in_as, time_poll):
    zones = set(
        Person.objects.filter(
            pk__in=Ballot.objects.filter(poll=time_poll).values("voter_id")
        ).values_list("timezone", flat=True)
    )
    assert len(zones) >= 3, zones  # the demo's votes come from several timezones

    log_in_as(page, DEMO_COORDINATOR)
    page.goto("/polls/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    page.get_by_role("button", name="Close the poll now").click()
    expect(page.get_by_text("The poll is closed.")).to_be_visible()

    time_poll.refresh_from_db()
    winner = next(
        o for o in time_poll.options.all() if o.pk == results(time_poll, _coordinator())["winner"]
    )
    page.get_by_role("button", name="Schedule the assembly at the winning slot").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assembly = Assembly.objects.get(title=TITLE)
    assert assembly.start == winner.starts_at

    page.goto("/assemblies/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    ics_link = page.get_by_role("link", name="Add to my calendar (.ics)")
    ics = page.request.get(ics_link.get_attribute("href") or "")
    assert ics.status == 200
    assert f"DTSTART:{winner.starts_at:%Y%m%dT%H%M%S}Z" in ics.text()


def _coordinator():
    from accounts.models import User

    return User.objects.get(email=DEMO_COORDINATOR)
