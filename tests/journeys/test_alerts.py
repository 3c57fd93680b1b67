"""Journey: opportunity alerts reach people. The demo coordinator opens the demo's draft
opportunity, sees beforehand how many people will be alerted, and afterwards how many were."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from members.models import Person
from projects.models import Opportunity, OpportunityNotification, OpportunityTransition
from projects.selectors.opportunities import alert_preview, alerts_of
from tests.journeys.conftest import DEMO_COORDINATOR
from tests.worker_fixtures import wait_until

DRAFT = "Mobile app for a farmers' market"


@pytest.fixture
def demo_draft():
    """The demo's draft opportunity, put back as a draft afterwards for the other journeys."""
    opportunity = Opportunity.objects.get(title=DRAFT)
    assert opportunity.status == Opportunity.Status.DRAFT
    steps = set(OpportunityTransition.objects.filter(opportunity=opportunity).values_list("pk"))
    yield opportunity
    OpportunityNotification.objects.filter(opportunity=opportunity).delete()
    OpportunityTransition.objects.filter(opportunity=opportunity).exclude(pk__in=steps).delete()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=Opportunity.Status.DRAFT, opened_at=None
    )


@pytest.fixture
def coordinator_in_english():
    """The demo coordinator reads the site in Spanish (her profile says so); this journey reads
    its texts in English, so it switches her to English and back."""
    person = Person.objects.get(user__email=DEMO_COORDINATOR)
    Person.objects.filter(pk=person.pk).update(language="en")
    yield
    Person.objects.filter(pk=person.pk).update(language=person.language)


@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_opening_a_demo_opportunity_alerts_the_people_it_fits(
    page: Page, log_in_as, coordinator_in_english, demo_draft, demo_worker
):
    log_in_as(page, DEMO_COORDINATOR)
    page.goto(demo_draft.get_absolute_url())

    alerts = page.locator("#alerts")
    expect(alerts).to_contain_text("Who hears of it")
    now = int(alerts.locator("[data-alert-now]").inner_text())
    weekly = int(alerts.locator("[data-alert-weekly]").inner_text())
    assert {"now": now, "weekly": weekly} == alert_preview(demo_draft)
    assert now > 0

    page.get_by_role("button", name=re.compile("“Open”")).click()
    expect(page.get_by_text("The opportunity is now “Open”.")).to_be_visible()
    wait_until(lambda: len(mail.outbox) >= now)  # the worker's emails arrive one by one

    assert len(mail.outbox) == now > 0
    assert alerts_of(demo_draft)["sent"] == now
    assert all("List-Unsubscribe" in message.extra_headers for message in mail.outbox)
    assert all(DRAFT in message.body for message in mail.outbox)
    page.reload()
    expect(alerts.locator("[data-alerted]")).to_have_text(str(now))
    expect(alerts).to_contain_text(f"{weekly} more in their digest")
    print(f"\nOpening “{DRAFT}” in the demo sent {len(mail.outbox)} emails ({weekly} in digests).")
