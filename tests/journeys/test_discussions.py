"""Journey: a member starts a discussion on the pay policy. The demo member opens the pay
policy, starts a thread from its Discussions section, the demo coordinator replies on the
thread's page, and the member, who follows what they started, gets the reply by email with its
one-click unsubscribe; the thread lists the reply, and the member's list showed it unread."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from discussions.models import Thread
from members.models import Person
from tests.journeys.conftest import DEMO_COORDINATOR, DEMO_MEMBER
from tests.worker_fixtures import wait_until

TITLE = "Should the hourly rate follow the cost of living?"
PAY_POLICY = "/policies/horas-de-trabajo-para-la-red/"


@pytest.fixture
def cleaned_up():
    """The journey's thread goes afterwards; both demo accounts read in English meanwhile."""
    people = list(Person.objects.filter(user__email__in=[DEMO_MEMBER, DEMO_COORDINATOR]))
    Person.objects.filter(pk__in=[p.pk for p in people]).update(language="en")
    yield
    for person in people:
        Person.objects.filter(pk=person.pk).update(language=person.language)
    Thread.objects.filter(title=TITLE).delete()


@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_member_starts_a_discussion_on_the_pay_policy_and_hears_of_the_reply(
    page: Page, browser, log_in_as, live_server, cleaned_up, demo_worker
):
    log_in_as(page, DEMO_MEMBER)
    page.goto(PAY_POLICY)
    section = page.get_by_role("region", name="Discussions")
    # The demo's own thread on the pay policy is listed there.
    expect(
        section.get_by_role("link", name="Do we have equal salaries? Is that fair?")
    ).to_be_visible()
    section.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What would you like to discuss?").fill(
        "One rate is **equal**. Would a rate that follows rents be fairer?"
    )
    page.get_by_label("Network members").check()
    page.get_by_role("button", name="Start the discussion").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    thread = Thread.objects.get(title=TITLE)
    assert thread.policy is not None and thread.policy.slug == "horas-de-trabajo-para-la-red"

    other = browser.new_context(base_url=live_server.url).new_page()
    log_in_as(other, DEMO_COORDINATOR)
    other.goto(thread.get_absolute_url())
    other.get_by_label("Your reply").fill("In Hornero we tried that once; happy to share how.")
    other.get_by_role("button", name="Post reply").click()
    expect(other.get_by_text("Your reply is posted.")).to_be_visible()

    wait_until(lambda: len(mail.outbox) >= 1)
    [message] = mail.outbox
    assert message.to == [DEMO_MEMBER]
    assert TITLE in message.subject and "In Hornero we tried that once" in message.body
    assert "List-Unsubscribe" in message.extra_headers

    page.goto("/discussions/")
    card = page.get_by_role("listitem").filter(has_text=TITLE)
    expect(card.get_by_text("1 unread")).to_be_visible()
    card.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("In Hornero we tried that once; happy to share how.")).to_be_visible()


POLL_TITLE = "Which pay rule should we try next year?"


@pytest.fixture
def poll_cleaned_up():
    """The journey's thread and its poll go afterwards; the member reads in English meanwhile."""
    from polls.models import Poll

    member = Person.objects.get(user__email=DEMO_MEMBER)
    Person.objects.filter(pk=member.pk).update(language="en")
    yield
    Person.objects.filter(pk=member.pk).update(language=member.language)
    Thread.objects.filter(title=POLL_TITLE).delete()
    Poll.objects.filter(title=POLL_TITLE).delete()


def test_a_member_starts_a_discussion_on_the_pay_policy_with_a_score_poll_and_votes(
    page: Page, log_in_as, poll_cleaned_up
):
    log_in_as(page, DEMO_MEMBER)
    page.goto(PAY_POLICY)
    page.get_by_role("region", name="Discussions").get_by_role(
        "link", name="Start a discussion"
    ).click()
    page.get_by_label("Title").fill(POLL_TITLE)
    page.get_by_label("What would you like to discuss?").fill("Three rules; score each.")
    page.get_by_label("Network members").check()
    page.get_by_label("Add a poll to it next").check()
    page.get_by_role("button", name="Start the discussion").click()

    expect(page.get_by_role("heading", name="Add a poll to the discussion")).to_be_visible()
    page.get_by_label("Kind of poll").select_option("score")
    page.get_by_label("Options").fill(
        "One rate for all\nA rate that follows rents\nA rate per co-op"
    )
    page.get_by_label("Closes at").fill("2030-01-15T18:00")
    page.get_by_role("button", name="Open the poll").click()

    expect(page.get_by_text("Your poll is open in the discussion.")).to_be_visible()
    thread = Thread.objects.select_related("poll", "policy").get(title=POLL_TITLE)
    assert thread.policy.slug == "horas-de-trabajo-para-la-red"
    assert thread.poll is not None and thread.poll.kind == "score"
    poll_region = page.get_by_role("region", name="Poll")
    expect(poll_region.get_by_text("0 votes")).to_be_visible()
    expect(page.get_by_role("link", name="Add a poll")).to_have_count(0)  # one poll a thread

    poll_region.get_by_role("link", name="Vote in the poll").click()
    page.get_by_label("A rate that follows rents").select_option("5")
    page.get_by_label("One rate for all").select_option("3")
    page.get_by_role("button", name="Vote", exact=True).click()
    expect(page.get_by_text("Your vote is counted.")).to_be_visible()

    page.goto(thread.get_absolute_url())
    expect(page.get_by_role("region", name="Poll").get_by_text("1 vote")).to_be_visible()
    assert thread.poll.ballots.count() == 1
