"""A coordinator forms the team for an opportunity with three roles, runs the matching (a real
Celery worker runs it), swaps one candidate for an alternate and sends the invitations; the
invitees accept from their email links and the opportunity becomes staffed."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.projects import conftest as cast
from tests.worker_fixtures import wait_until

pytestmark = pytest.mark.browser

# The team cast (tests/projects/conftest.py), for this folder too.
circle, coordinator, staffing = cast.circle, cast.coordinator, cast.staffing
django_skill, figma, docker, english = cast.django_skill, cast.figma, cast.docker, cast.english


@pytest.mark.parametrize("javascript", [True, False], ids=["with-htmx", "without-javascript"])
def test_a_coordinator_matches_swaps_and_invites_and_the_team_accepts(
    celery_worker, staffing, new_context, log_in, javascript, live_server
):
    opportunity, _people = staffing
    page = new_context(java_script_enabled=javascript).new_page()
    log_in(page, "cora@camplight.coop")
    page.goto(opportunity.get_absolute_url())
    page.get_by_role("button", name="Form the team").click()
    expect(page.get_by_role("heading", name=re.compile("Team matching"))).to_be_visible()

    page.get_by_role("button", name="Match all open roles").click()
    proposal = page.get_by_role("heading", name="Proposal")
    if javascript:
        expect(proposal).to_be_visible()  # the page polled, then reloaded itself
    else:
        for _attempt in range(50):
            if proposal.count():
                break
            page.get_by_role("link", name="Refresh to see the progress").click()
        expect(proposal).to_be_visible()
    designer = page.get_by_role("article").filter(has=page.get_by_role("heading", name="Designer"))
    expect(designer.locator(".chosen")).to_contain_text("Best Designer")
    expect(page.get_by_text("Works in English (fluent).").first).to_be_visible()

    page.get_by_role("button", name="Propose Second Designer as Designer").click()
    designer = page.get_by_role("article").filter(has=page.get_by_role("heading", name="Designer"))
    expect(designer.locator(".chosen")).to_contain_text("Second Designer")

    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("3 people are invited.")).to_be_visible()
    wait_until(lambda: len(mail.outbox) == 3)
    assert {m.to[0] for m in mail.outbox} == {
        "best.backend@example.coop",
        "second.designer@example.coop",
        "best.sysadmin@example.coop",
    }

    for message in mail.outbox:
        link = re.search(r"https?://\S+/team-invitations/\S+/", message.body).group(0)
        path = link.split("/team-invitations/", 1)[1]
        invitee = new_context(java_script_enabled=javascript).new_page()
        invitee.goto(f"{live_server.url}/team-invitations/{path}")
        invitee.get_by_role("button", name="Accept").click()
        expect(invitee.get_by_text("Welcome to the team!")).to_be_visible()

    page.goto(opportunity.get_absolute_url())
    expect(page.locator(".status")).to_have_text("Staffed")
    page.get_by_role("link", name=re.compile("The team's project")).click()
    expect(page.locator(".status")).to_have_text("Active")
    expect(page.get_by_role("cell", name="Second Designer")).to_be_visible()
