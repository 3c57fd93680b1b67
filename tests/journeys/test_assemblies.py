"""Journey: an assembly keeps its integrity, run on the demo network by the demo facilitator.

The demo coordinator facilitates the demo assemblies. Each test schedules its own assembly for
today (so the demo's own assemblies stay as they are for other journeys) and deletes it after.
The roster is the demo's active members, most of them without an account; the quorum is a share
of the same people. Pages speak the facilitator's language, so the test looks for controls by
their names and values, and for texts in that language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from assemblies import selectors, services
from assemblies.models import AgendaItem, Assembly, Decision
from members.demo_data import DEMO_PASSWORD
from members.models import Person
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER, label


@pytest.fixture
def log_in_as():
    """As the package's `log_in_as`, without reading the page in English: the demo coordinator
    reads the site in Spanish, so this waits for the logout form rather than its label."""

    def _log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label(label("Email")).fill(email)
        page.get_by_label(label("Password")).fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)

    return _log_in


def _person(email: str) -> Person:
    return Person.objects.select_related("user").get(user__email=email)


@pytest.fixture
def facilitator() -> Person:
    return _person(DEMO_COORDINATOR)


@pytest.fixture
def todays_assembly(facilitator):
    """An assembly starting within the hour, facilitated by the demo coordinator, with the demo
    member as note-taker; removed (with its record) when the test ends."""
    admin = get_user_model().objects.get(email=DEMO_ADMIN)
    assembly = services.assembly_schedule(
        actor=admin,
        title="Journey assembly",
        start=timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1),
        facilitator=facilitator,
        note_taker=_person(DEMO_MEMBER),
    )
    for title in ("Check-in", "Where we meet next"):
        services.agenda_item_propose(actor=facilitator.user, assembly=assembly, title=title)
    yield assembly
    Assembly.objects.filter(pk=assembly.pk).delete()


def _t(person: Person, message: str, **values) -> str:
    with translation.override(person.language):
        return gettext(message) % values if values else gettext(message)


def _record_decision(page: Page, text: str, *, without_quorum: bool = False) -> None:
    form = page.locator("form[action$='/run/decision/']")
    form.locator("[name='decision-text']").fill(text)
    if without_quorum:
        form.locator("[name='decision-without_quorum']").check()
    form.locator("button[type=submit]").click()


def test_quorum_is_reached_by_marking_people_present_and_decisions_respect_it(
    page: Page, log_in_as, facilitator, todays_assembly
):
    assembly = todays_assembly
    # People without an account first: the roster is not only the people who can log in.
    roster = sorted(selectors.roster(assembly), key=lambda p: p.user_id is not None)
    needed = selectors.quorum(assembly).needed
    assert needed > 0 and len(roster) >= needed
    log_in_as(page, DEMO_COORDINATOR)
    page.goto(f"/assemblies/{assembly.pk}/run/")

    page.locator("button[name=status][value=open]").click()
    expect(page.locator("button[name=status][value=closed]")).to_be_visible()

    # Without quorum, a decision is refused...
    _record_decision(page, "We meet in Rosario.")
    expect(page.locator("#id_decision-without_quorum_error")).to_be_visible()
    assert not Decision.objects.filter(assembly=assembly).exists()

    # ...unless the facilitator records it explicitly as taken without quorum, and it says so.
    _record_decision(page, "We meet in Rosario.", without_quorum=True)
    badge = page.locator("#outcomes .badge.warning")
    expect(badge).to_have_text(
        _t(
            facilitator,
            "Without quorum (%(present)s present of %(needed)s needed)",
            present=0,
            needed=needed,
        )
    )

    # Marking present happens in place; most of the demo's active members have no account.
    assert roster[0].user_id is None
    for person in roster[:needed]:
        page.locator(f"#roster-{person.pk} button").click()
        expect(page.locator(f"#roster-{person.pk} button")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#roster-count")).to_contain_text(_t(facilitator, "Quorum reached."))
    expect(page.locator("#quorum")).to_contain_text(_t(facilitator, "Quorum reached."))

    # With quorum, the decision is recorded plainly.
    page.reload()
    expect(page.locator("[name='decision-without_quorum']")).to_have_count(0)
    _record_decision(page, "We meet in Sofia in May.")
    expect(page.locator("#outcomes")).to_contain_text("We meet in Sofia in May.")
    decisions = dict(
        Decision.objects.filter(assembly=assembly).values_list("text", "without_quorum")
    )
    assert decisions == {"We meet in Rosario.": True, "We meet in Sofia in May.": False}

    # The mark shows in the decisions log and the API too.
    page.goto("/assemblies/decisions/")
    expect(
        page.locator(".card", has_text="We meet in Rosario.").locator(".badge.warning")
    ).to_be_visible()
    api = page.request.get(f"/api/v1/decisions/?assembly={assembly.pk}").json()
    assert {d["text"]: d["without_quorum"] for d in api["results"]} == decisions


def test_a_closed_assembly_refuses_an_edit_and_shows_its_correction(
    page: Page, log_in_as, facilitator, todays_assembly
):
    assembly = todays_assembly
    item = AgendaItem.objects.get(assembly=assembly, title="Check-in")
    log_in_as(page, DEMO_COORDINATOR)
    page.goto(f"/assemblies/{assembly.pk}/run/")
    page.locator("button[name=status][value=open]").click()
    minutes = page.locator("[name='minutes-minutes']")
    minutes.fill("Everyone checked in.")
    page.locator("form[action*='/minutes/'] button[type=submit]").click()
    expect(minutes).to_have_value("Everyone checked in.")

    # A second tab still shows the open meeting's forms when the first one closes it.
    stale = page.context.new_page()
    stale.goto(f"/assemblies/{assembly.pk}/run/")
    page.locator("button[name=status][value=closed]").click()
    expect(page.locator("form[action*='/minutes/']")).to_have_count(0)
    expect(page.locator("#attendance button")).to_have_count(0)
    expect(page.locator("form[action$='/run/decision/']")).to_have_count(0)

    stale.locator("[name='minutes-minutes']").fill("Rewritten afterwards.")
    stale.locator("form[action*='/minutes/'] button[type=submit]").click()
    expect(stale.locator(".messages")).to_contain_text(
        _t(facilitator, "This assembly is closed: its record is frozen. Add a correction instead.")
    )
    item.refresh_from_db()
    assert item.minutes == "Everyone checked in."

    # A correction is added beside the record, signed and dated.
    page.goto(f"/assemblies/{assembly.pk}/")
    page.locator(f"a[href='/assemblies/{assembly.pk}/corrections/new/']").first.click()
    page.locator("[name=text]").fill("Two people joined late, after the check-in.")
    page.locator("[name=reason]").fill("They were left out of the minutes.")
    page.locator("form:has([name=reason]) button[type=submit]").click()

    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("Two people joined late, after the check-in.")
    expect(corrections).to_contain_text("They were left out of the minutes.")
    expect(corrections).to_contain_text(facilitator.display_name)
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Everyone checked in.")


def test_the_demo_assembly_months_ahead_cannot_be_opened_yet(page: Page, log_in_as):
    later = (
        Assembly.objects.filter(start__gt=timezone.now() + timedelta(days=2))
        .exclude(status="cancelled")
        .order_by("start")
        .first()
    )
    log_in_as(page, DEMO_COORDINATOR)

    page.goto(f"/assemblies/{later.pk}/run/")

    expect(page.locator("button[name=status][value=open]")).to_have_count(0)


def test_the_demo_past_assembly_is_frozen_and_shows_its_correction(page: Page, log_in_as):
    past = Assembly.objects.get(status="closed", series__isnull=False)
    correction = past.corrections.get(status="noted")
    log_in_as(page, DEMO_COORDINATOR)

    page.goto(f"/assemblies/{past.pk}/run/")
    expect(page.locator("textarea")).to_have_count(0)
    page.goto(f"/assemblies/{past.pk}/")

    expect(page.locator("#corrections")).to_contain_text(correction.text)
    expect(page.locator("#quorum")).to_contain_text(re.compile(r"\b23\b"))
