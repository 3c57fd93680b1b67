"""Journey: feedback among people who work together, on the demo network. The demo member sees
on their own page the feedback the team of their finished project gave them, and reads it from
the project's page; they ask the coordinator and the admin (who share a circle with them) for
feedback; the coordinator finds it waiting on their home and answers; beat's one reminder goes
to the admin alone, and only once; the member reads the answer, with who gave it, and their
count goes up. Nobody else sees the count."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from feedback.models import FeedbackRequest
from feedback.tasks import send_feedback_reminders
from members.models import Person
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER

PROJECT = "Decision-making tools for a federation"


@pytest.fixture
def people():
    """The three demo people, read in English for the journey and put back afterwards."""
    found = {
        e: Person.objects.get(user__email=e) for e in (DEMO_MEMBER, DEMO_COORDINATOR, DEMO_ADMIN)
    }
    before = set(FeedbackRequest.objects.values_list("pk", flat=True))
    Person.objects.filter(pk__in=[p.pk for p in found.values()]).update(language="en")
    yield found
    FeedbackRequest.objects.exclude(pk__in=before).delete()
    for person in found.values():
        Person.objects.filter(pk=person.pk).update(language=person.language)


def test_a_member_asks_for_feedback_and_reads_it(page: Page, log_in_as, people):
    member, coordinator, admin = people[DEMO_MEMBER], people[DEMO_COORDINATOR], people[DEMO_ADMIN]
    log_in_as(page, DEMO_MEMBER)
    page.goto(member.get_absolute_url())
    expect(page.get_by_text("Feedback received: 2 answers")).to_be_visible()

    # The finished project's page leads to what its team said.
    page.goto("/projects/")
    page.get_by_role("link", name=PROJECT).first.click()
    page.get_by_role("link", name="Read the answers").click()
    expect(page.get_by_role("heading", name="Feedback for you", level=1)).to_be_visible()
    expect(page.get_by_text("The facilitation guides were clear")).to_be_visible()

    # At any time: the member asks the two demo accounts they share a circle with.
    page.goto("/feedback/ask/")
    page.get_by_label(f"{coordinator.display_name} (").check()
    page.get_by_label(f"{admin.display_name} (").check()
    page.get_by_label("A word to them (optional)").fill("How did my assembly minutes read?")
    page.get_by_role("button", name="Ask for feedback").click()
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    pending = page.get_by_role("region", name="Not answered yet")
    expect(pending.get_by_text(coordinator.display_name)).to_be_visible()
    expect(pending.get_by_text(admin.display_name)).to_be_visible()
    asked = FeedbackRequest.objects.get(asker=member, message="How did my assembly minutes read?")

    # The coordinator finds it waiting on their home and answers.
    page.context.clear_cookies()
    log_in_as(page, DEMO_COORDINATOR)
    page.goto("/")
    page.get_by_role("link", name=f"Feedback for {member.display_name}").first.click()
    page.get_by_label("What went well").fill("Short, with every decision on top.")
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_text("Thank you: your answer is with them.")).to_be_visible()
    # Not theirs to see: the member's count.
    page.goto(member.get_absolute_url())
    expect(page.get_by_text("Feedback received")).to_have_count(0)

    # Halfway to the close, beat reminds the one who has not answered, once.
    FeedbackRequest.objects.filter(pk=asked.pk).update(remind_at=timezone.now())
    mail.outbox = []
    assert send_feedback_reminders() == 1
    assert send_feedback_reminders() == 0
    assert [m.to for m in mail.outbox] == [[admin.email_address]]

    # The member reads the answer, with who gave it, and the count went up.
    page.context.clear_cookies()
    log_in_as(page, DEMO_MEMBER)
    page.goto(asked.get_absolute_url())
    expect(page.get_by_text("Short, with every decision on top.")).to_be_visible()
    expect(page.get_by_role("heading", name=coordinator.display_name, level=3)).to_be_visible()
    expect(
        page.get_by_role("region", name="Not answered yet").get_by_text("reminded")
    ).to_be_visible()
    page.goto(member.get_absolute_url())
    expect(page.get_by_text("Feedback received: 3 answers")).to_be_visible()
