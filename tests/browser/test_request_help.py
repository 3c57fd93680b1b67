"""An outside organisation asks for help through the public form; a coordinator of the circle
that triages requests turns it into a draft opportunity."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from intake.models import HelpRequest
from projects.models import Opportunity
from tests.browser.conftest import label
from tests.circles.factories import CoordinatorFactory
from tests.factories import LanguageFactory
from tests.intake.factories import TriageCircleFactory
from tests.worker_fixtures import wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


def test_an_outsider_asks_for_help_and_a_coordinator_makes_it_a_draft_opportunity(
    page, new_context, log_in, celery_worker, settings, colleague
):
    settings.HELP_REQUEST_MIN_SECONDS = 1  # people take longer; robots take less
    LanguageFactory(code="es", name="Spanish")
    circle = TriageCircleFactory(name="Job opportunities", slug="job-opportunities")
    CoordinatorFactory(circle=circle, person=colleague)

    requester = new_context().new_page()  # not logged in
    requester.goto("/request-help/")
    expect(requester.get_by_role("heading", level=1)).to_have_text("Request help from the network")
    requester.get_by_label(label("Organisation")).fill("Olla Popular Cerro")
    requester.get_by_label(label("Your name")).fill("Rosa Acosta")
    requester.get_by_label(label("Your email address")).fill("rosa@olla.example")
    requester.get_by_label(label("Country")).select_option(label="Uruguay")
    requester.get_by_label("Build something new").check()
    requester.get_by_label(label("Describe your need")).fill(
        "A booking system for our community kitchen <script>alert(1)</script>"
    )
    requester.get_by_label(label("Budget range")).select_option(label="Under 5,000 EUR")
    requester.get_by_role("group", name="Preferred languages").get_by_label("Spanish").check()
    requester.wait_for_timeout(1100)  # the minimum fill time
    requester.get_by_role("button", name="Send my request").click()
    expect(requester.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your request is sent"
    )
    wait_until(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["rosa@olla.example"]

    log_in(page, "ivan@camplight.coop")
    page.goto("/request-help/inbox/")
    page.get_by_role("link", name="Olla Popular Cerro").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request from Olla Popular Cerro")
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()  # shown, not run
    page.get_by_label(label("Circle posting the opportunity")).select_option(
        label="Job opportunities"
    )
    page.get_by_role("button", name="Make a draft opportunity").click()

    expect(page).to_have_url(re.compile(r"/opportunities/\d+/(edit/)?$"))
    expect(page.get_by_role("status")).to_contain_text("A draft opportunity was made")
    opportunity = Opportunity.objects.get()
    assert opportunity.status == Opportunity.Status.DRAFT
    assert opportunity.client_name == "Olla Popular Cerro"
    assert opportunity.posted_by == colleague
    assert HelpRequest.objects.get().status == HelpRequest.Status.CONVERTED
