"""A member asks to join a circle, and its coordinator approves, as people do it in a browser."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from circles.models import CircleMembership
from tests.browser.conftest import label, log_out
from tests.circles.factories import CircleFactory, CircleMembershipFactory

pytestmark = pytest.mark.browser


def test_member_asks_to_join_a_circle_and_its_coordinator_approves(page, log_in, member, colleague):
    circle = CircleFactory(name="Job opportunities", slug="job-opportunities")
    CircleMembershipFactory(
        circle=circle,
        person=colleague,
        role=CircleMembership.Role.COORDINATOR,
        start_date=datetime.date(2024, 1, 15),
    )

    log_in(page, "mila@camplight.coop")
    page.goto("/circles/")
    page.get_by_role("link", name="Job opportunities").click()
    page.get_by_label(label("Message to the coordinators")).fill("I can help triage.")
    page.get_by_role("button", name="Ask to join this circle").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is sent")
    log_out(page)

    log_in(page, "ivan@camplight.coop")
    page.goto("/circles/job-opportunities/")
    pending = page.get_by_role("region", name="Pending requests")
    expect(pending).to_contain_text("Mila Member")
    expect(pending).to_contain_text("I can help triage.")
    pending.get_by_role("button", name="Approve").click()

    expect(page.get_by_role("status")).to_contain_text("Approved.")
    members = page.get_by_role("region", name="Members", exact=True)
    expect(members.get_by_role("link", name="Mila Member")).to_be_visible()
    expect(members).to_contain_text("Camplight")
