"""Journey: a member asks for help with a conflict. The demo member opens a case naming the
demo admin; the demo coordinator, a mediator of the demo's Mediation circle, hears of it by
email (a link, nothing of the case), finds it in the mediators' queue, moves it into mediation
and sets a meeting in her own timezone; the admin, who is named, cannot open it; the member sees
the new state and the meeting, in UTC underneath and in their own zone on the page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from mediation.models import Case
from members.models import Person
from tests.browser.conftest import open_menu
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER
from tests.worker_fixtures import wait_until

WHAT = "At the last sprint review the admin dismissed my proposal in front of everyone."
HOPE = "A conversation with a mediator, so we can work together again."


@pytest.fixture
def cleaned_up():
    """The journey's case goes afterwards; the demo accounts read in English meanwhile."""
    emails = [DEMO_MEMBER, DEMO_COORDINATOR, DEMO_ADMIN]
    people = list(Person.objects.filter(user__email__in=emails))
    Person.objects.filter(pk__in=[p.pk for p in people]).update(language="en")
    yield
    for person in people:
        Person.objects.filter(pk=person.pk).update(language=person.language)
    Case.objects.filter(what_happened=WHAT).delete()


@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_member_asks_for_help_and_a_mediator_takes_the_case_the_admin_named_never_sees_it(
    page: Page, browser, log_in_as, live_server, cleaned_up, demo_worker
):
    admin = Person.objects.select_related("organisation").get(user__email=DEMO_ADMIN)
    log_in_as(page, DEMO_MEMBER)
    page.goto("/")
    open_menu(page, "Account")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help with a conflict"
    ).click()
    page.get_by_role("link", name="Ask for help with a conflict").click()
    page.get_by_label(f"{admin.display_name} ({admin.organisation.name})", exact=True).check()
    page.get_by_label("What happened").fill(WHAT)
    page.get_by_label("What you hope for").fill(HOPE)
    page.get_by_role("button", name="Send to the mediators").click()
    expect(page.get_by_text("Your case is with the mediators.")).to_be_visible()
    case = Case.objects.get(what_happened=WHAT)
    expect(page.locator("h1")).to_contain_text("Received")

    # The mediator's email: a link, and not a word of the case.
    wait_until(lambda: any(DEMO_COORDINATOR in m.to for m in mail.outbox))
    [message] = [m for m in mail.outbox if DEMO_COORDINATOR in m.to]
    assert case.get_absolute_url() in message.body
    assert "sprint" not in message.body and admin.display_name not in message.body
    assert not any(DEMO_ADMIN in m.to for m in mail.outbox)

    mediator = browser.new_context(base_url=live_server.url).new_page()
    log_in_as(mediator, DEMO_COORDINATOR)
    mediator.goto("/mediation/queue/")
    mediator.get_by_role("link", name=f"Case {case.pk}", exact=True).click()
    expect(mediator.get_by_text(WHAT)).to_be_visible()
    mediator.get_by_role("button", name="In mediation").click()
    expect(mediator.get_by_text("The case is now “In mediation”.")).to_be_visible()
    day = (timezone.now() + datetime.timedelta(days=8)).date()
    mediator.get_by_label("When").fill(f"{day.isoformat()}T10:00")
    mediator.get_by_label("Where").fill("https://meet.example.org/case")
    mediator.get_by_role("button", name="Set the meeting").click()
    expect(mediator.get_by_text("The meeting is set.")).to_be_visible()
    case.refresh_from_db()
    coordinator_zone = Person.objects.get(user__email=DEMO_COORDINATOR).timezone
    from zoneinfo import ZoneInfo

    assert case.state == Case.State.IN_MEDIATION
    assert case.meeting_at.astimezone(ZoneInfo(coordinator_zone)).hour == 10

    # The admin is named in the case: no door opens it, not even the admin's.
    named = browser.new_context(base_url=live_server.url).new_page()
    log_in_as(named, DEMO_ADMIN)
    response = named.goto(case.get_absolute_url())
    assert response is not None and response.status == 404
    assert "sprint" not in named.content()
    assert named.goto("/mediation/queue/").status == 403

    # The requester sees the news: the state, and the meeting in their own zone.
    page.goto("/mediation/")
    card = page.get_by_role("listitem").filter(has_text=f"Case {case.pk}")
    expect(card.get_by_text("In mediation")).to_be_visible()
    card.get_by_role("link", name=f"Case {case.pk}").click()
    utc = case.meeting_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    expect(page.locator(f"#meeting time[datetime='{utc}']")).to_be_visible()
    member_zone = Person.objects.get(user__email=DEMO_MEMBER).timezone
    expect(page.locator("#meeting time")).to_contain_text(f"({member_zone})")
    wait_until(lambda: any(DEMO_MEMBER in m.to for m in mail.outbox))
