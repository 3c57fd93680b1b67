"""Journey: the demo member chooses a daily digest of opportunities; the demo coordinator opens
an opportunity that fits her; no email goes to her at once, the bell in the header counts it,
her list says it waits for the digest, and the next morning's digest task sends her one email."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from members.models import Person
from notifications.emails import digests_send
from notifications.models import Notification
from projects.models import Opportunity, OpportunityNotification, OpportunityTransition
from tests.journeys.conftest import DEMO_COORDINATOR, DEMO_MEMBER
from tests.worker_fixtures import wait_until

AUDIT = "Accessibility audit of a bakery's shop"  # open in the demo, and it fits the member


@pytest.fixture
def audit_as_draft():
    """The demo's open audit, put back to a draft its coordinator can open (and reopened as it
    was afterwards, with what this journey added removed, for the other journeys)."""
    opportunity = Opportunity.objects.get(title=AUDIT)
    assert opportunity.status == Opportunity.Status.OPEN
    opened_at = opportunity.opened_at
    steps = set(
        OpportunityTransition.objects.filter(opportunity=opportunity).values_list("pk", flat=True)
    )
    listed = set(Notification.objects.values_list("pk", flat=True))
    member = Person.objects.get(user__email=DEMO_MEMBER)
    coordinator = Person.objects.get(user__email=DEMO_COORDINATOR)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=Opportunity.Status.DRAFT, opened_at=None
    )
    Person.objects.filter(pk=coordinator.pk).update(language="en")  # she reads Spanish
    yield opportunity
    Notification.objects.exclude(pk__in=listed).delete()
    OpportunityNotification.objects.filter(opportunity=opportunity).delete()
    OpportunityTransition.objects.filter(opportunity=opportunity).exclude(pk__in=steps).delete()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=Opportunity.Status.OPEN, opened_at=opened_at
    )
    Person.objects.filter(pk=member.pk).update(email_choices=member.email_choices)
    Person.objects.filter(pk=coordinator.pk).update(language=coordinator.language)


def _bell(page: Page) -> int:
    count = page.locator("[data-notification-bell] [data-unread]")
    return int(count.inner_text()) if count.count() else 0


@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_member_on_the_daily_digest_sees_the_alert_in_the_bell_and_gets_one_digest(
    page: Page, log_in_as, audit_as_draft, demo_worker
):
    # The member asks for opportunities in a daily digest, on her email settings page.
    log_in_as(page, DEMO_MEMBER)
    page.goto("/me/emails/")
    choice = page.get_by_role("group", name=re.compile("Opportunities that fit me"))
    choice.get_by_label("In a daily digest").check()
    page.get_by_role("button", name="Save my email settings").click()
    expect(page.get_by_text("Your email settings are saved.")).to_be_visible()
    page.goto("/")
    before = _bell(page)
    assert before > 0  # the demo lists her alerts already: the bell has a count on `make run`

    # The coordinator opens the audit, which fits her.
    page.context.clear_cookies()
    log_in_as(page, DEMO_COORDINATOR)
    page.goto(audit_as_draft.get_absolute_url())
    page.get_by_role("button", name=re.compile("“Open”")).click()
    expect(page.get_by_text("The opportunity is now “Open”.")).to_be_visible()
    held = Notification.objects.filter(
        recipient__user__email=DEMO_MEMBER, title=AUDIT, digest=Notification.Digest.DAILY
    )
    wait_until(held.exists)  # the worker's fan-out reached her
    assert DEMO_MEMBER not in {address for message in mail.outbox for address in message.to}

    # She sees it at once: the bell counts one more, and her list says it waits for the digest.
    page.context.clear_cookies()
    log_in_as(page, DEMO_MEMBER)
    page.goto("/")
    assert _bell(page) == before + 1
    page.locator("[data-notification-bell]").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    newest = page.locator(".notification").first
    expect(newest).to_contain_text(AUDIT)
    expect(newest).to_contain_text("in your daily digest")
    expect(newest).to_contain_text("Unread")

    # The next morning's digest: one email for her, listing the audit, once.
    tomorrow = timezone.now() + dt.timedelta(days=1, hours=12)
    digests_send(now=tomorrow)
    digests_send(now=tomorrow)
    mine = [message for message in mail.outbox if message.to == [DEMO_MEMBER]]
    assert len(mine) == 1
    assert mine[0].subject.startswith("Your daily digest") and AUDIT in mine[0].body

    # Reading them all clears the bell.
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("[data-notification-bell] [data-unread]")).to_have_count(0)
