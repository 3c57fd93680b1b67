"""Journey: a delegated vote appears in an assembly's tally, on the demo network.

The demo member cannot attend today's assembly and delegates their vote to another active
member. The demo coordinator, who facilitates, opens the meeting, marks people present (the
delegate among them, one fewer than quorum needs) and sees the carried vote make quorum; the
vote she records shows "N votes, 1 by delegation". The test schedules its own assembly and
removes it after, so the demo's assemblies stay as they are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Page, expect

from assemblies import selectors, services
from assemblies.models import Assembly, Decision, VoteDelegation
from members.models import Person
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER


def _person(email: str) -> Person:
    return Person.objects.select_related("user").get(user__email=email)


@pytest.fixture
def todays_vote():
    admin = get_user_model().objects.get(email=DEMO_ADMIN)
    assembly = services.assembly_schedule(
        actor=admin,
        title="Journey: a vote with a delegation",
        start=timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1),
        facilitator=_person(DEMO_COORDINATOR),
    )
    yield assembly
    Assembly.objects.filter(pk=assembly.pk).delete()


def _tally(person: Person, votes: int, delegated: int) -> str:
    with translation.override(person.language):
        return ngettext(
            "%(votes)s vote, %(delegated)s by delegation",
            "%(votes)s votes, %(delegated)s by delegation",
            votes,
        ) % {"votes": votes, "delegated": delegated}


def _t(person: Person, message: str) -> str:
    with translation.override(person.language):
        return gettext(message)


def test_a_delegated_vote_appears_in_an_assemblys_tally(
    page: Page, new_context, log_in_as, todays_vote
):
    assembly = todays_vote
    member, facilitator = _person(DEMO_MEMBER), _person(DEMO_COORDINATOR)
    needed = selectors.quorum(assembly).needed
    others = [p for p in selectors.roster(assembly) if p.pk not in (member.pk, facilitator.pk)]
    delegate = others[0]
    assert needed >= 2 and len(others) >= needed

    # The member cannot attend: they give their vote to another active member.
    log_in_as(page, DEMO_MEMBER)
    page.goto(f"/assemblies/{assembly.pk}/")
    form = page.locator("#delegation form")
    form.locator("select[name=delegate]").select_option(str(delegate.pk))
    form.locator("button[type=submit]").click()
    expect(page.locator("#delegation")).to_contain_text(delegate.display_name)
    expect(page.locator("#delegation form[action$='/delegation/revoke/']")).to_be_visible()
    assert VoteDelegation.objects.filter(
        assembly=assembly, delegator=member, delegate=delegate, revoked_at=None
    ).exists()

    # The facilitator opens the meeting and marks people present: the delegate and others,
    # one fewer than quorum needs. The carried vote makes the quorum.
    chair = new_context().new_page()
    log_in_as(chair, DEMO_COORDINATOR)
    chair.goto(f"/assemblies/{assembly.pk}/run/")
    chair.locator("button[name=status][value=open]").click()
    expect(chair.locator("button[name=status][value=closed]")).to_be_visible()
    expect(chair.locator("#attendance")).to_contain_text(delegate.display_name)
    for person in others[: needed - 1]:
        chair.locator(f"#roster-{person.pk} button").click()
        expect(chair.locator(f"#roster-{person.pk} button")).to_have_attribute(
            "aria-pressed", "true"
        )
    chair.reload()
    quorum = chair.locator("#quorum")
    expect(quorum).to_contain_text(_tally(facilitator, needed, 1))
    expect(quorum).to_contain_text(_t(facilitator, "Quorum reached."))

    # The vote is recorded plainly (with quorum), and its tally shows the delegated vote.
    decision = chair.locator("form[action$='/run/decision/']")
    decision.locator("[name='decision-text']").fill("We hold the gathering in Sofia.")
    decision.locator("[name='decision-method']").select_option("vote")
    decision.locator("[name='decision-votes_for']").fill(str(needed))
    decision.locator("[name='decision-votes_against']").fill("0")
    decision.locator("button[type=submit]").click()
    outcome = chair.locator("#outcomes .card", has_text="We hold the gathering in Sofia.")
    expect(outcome).to_contain_text(_tally(facilitator, needed, 1))
    recorded = Decision.objects.get(assembly=assembly)
    assert (recorded.present_count, recorded.delegated_count) == (needed - 1, 1)
    assert not recorded.without_quorum

    # Used in a vote, the delegation can no longer be revoked: the member sees why.
    page.reload()
    expect(page.locator("#delegation form[action$='/delegation/revoke/']")).to_have_count(0)


@pytest.fixture
def pay_poll():
    """The demo's score poll on pay models, carried by the pay policy's thread; the journey's
    delegation and the coordinator's ballot go afterwards, and both read English meanwhile."""
    from polls.demo import PAY_POLL
    from polls.models import Ballot, Poll, PollDelegation
    from polls.selectors import voter_key

    poll = Poll.objects.get(title=PAY_POLL)
    people = [_person(DEMO_MEMBER), _person(DEMO_COORDINATOR)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(language="en")
    yield poll
    for person in people:
        Person.objects.filter(pk=person.pk).update(language=person.language)
    PollDelegation.objects.filter(poll=poll, delegator__in=people).delete()
    keys = [voter_key(poll.pk, person.pk) for person in people]
    Ballot.objects.filter(poll=poll, voter_key__in=keys).delete()


def test_a_delegated_vote_in_the_pay_poll_counts_in_its_turnout(
    page: Page, browser, live_server, log_in_as, pay_poll
):
    from polls.selectors import turnout, with_counts

    before = turnout(with_counts([pay_poll])[0])
    coordinator = _person(DEMO_COORDINATOR)
    log_in_as(page, DEMO_MEMBER)
    page.goto("/discussions/")
    page.get_by_role("link", name="Do we have equal salaries? Is that fair?").click()
    page.get_by_role("region", name="Poll").get_by_role("link", name="Vote in the poll").click()
    delegation = page.get_by_role("region", name="Delegate your vote")
    delegation.get_by_label("Who carries your vote").select_option(label=coordinator.display_name)
    delegation.get_by_role("button", name="Delegate my vote").click()
    expect(
        page.get_by_text(f"Your vote is delegated to {coordinator.display_name}.")
    ).to_be_visible()

    other = browser.new_context(base_url=live_server.url).new_page()
    log_in_as(other, DEMO_COORDINATOR)
    other.goto(pay_poll.get_absolute_url())
    expect(
        other.get_by_text(f"You carry the vote of: {_person(DEMO_MEMBER).display_name}")
    ).to_be_visible()
    for option in pay_poll.options.all():
        other.get_by_label(option.label).select_option("4")
    other.get_by_role("button", name="Vote", exact=True).click()
    expect(other.get_by_text("Your vote is counted.")).to_be_visible()

    page.reload()
    voted = before.voted + 2
    expect(page.locator("#turnout")).to_contain_text(f"{voted} of {before.eligible} voted")
    expect(page.locator("#turnout")).to_contain_text(f"{before.delegated + 1} by delegation")
    expect(page.get_by_role("region", name="Delegated votes")).to_contain_text(
        f"{_person(DEMO_MEMBER).display_name} → {coordinator.display_name}"
    )
