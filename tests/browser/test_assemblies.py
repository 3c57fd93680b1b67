"""An assembly from start to finish, as people do it in the browser."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circles.services import participation_refresh
from tests.assemblies import conftest as assembly_cast
from tests.browser.conftest import label

# The assembly cast (tests/assemblies/conftest.py), for this folder too.
circle = assembly_cast.circle
coordinator = assembly_cast.coordinator
facilitator = assembly_cast.facilitator
note_taker = assembly_cast.note_taker

pytestmark = [pytest.mark.browser]


def test_admin_schedules_coordinator_updates_facilitator_records_and_owner_sees_the_action(
    new_context, log_in, network_admin, coordinator, facilitator, note_taker, member
):
    facilitator.language = "en"
    facilitator.save(update_fields=["language"])
    participation_refresh()  # the circle rule decides who is active: Cora, by her membership
    today = timezone.localtime(timezone.now() + timedelta(hours=1), UTC)

    # The admin schedules the assembly and names its facilitator and note-taker.
    admin = new_context().new_page()
    log_in(admin, "admin@patio.coop")
    admin.goto("/assemblies/")
    admin.get_by_role("link", name="Schedule an assembly").click()
    admin.get_by_label(label("Title")).fill("June assembly")
    # An assembly opens only on its day: this one is today.
    admin.get_by_label(label("Start")).fill(today.strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_label(label("Facilitator")).select_option(label="Fede Facilitator")
    admin.get_by_label(label("Note-taker")).select_option(label="Nora Notes")
    admin.get_by_role("button", name="Schedule").click()
    expect(admin.get_by_role("status")).to_contain_text("The assembly is scheduled.")
    expect(admin.get_by_role("heading", level=1)).to_have_text("June assembly")
    assembly_url = admin.url

    # The coordinator posts the circle's update.
    cora = new_context().new_page()
    log_in(cora, "cora@camplight.coop")
    cora.goto("/assemblies/")
    cora.get_by_role("link", name="June assembly").click()
    cora.get_by_role("link", name="Post the update of Tech").click()
    cora.get_by_label(label("Done since last time")).fill("Moved the servers to the co-op cloud.")
    cora.get_by_label(label("Decisions wanted")).fill("Adopt the backup policy")
    cora.get_by_role("button", name="Post the update").click()
    expect(cora.get_by_role("status")).to_contain_text("The update of Tech is posted.")
    updates = cora.get_by_role("region", name="Circle updates")
    expect(updates).to_contain_text("Moved the servers to the co-op cloud.")

    # The facilitator builds and publishes the agenda, then runs the meeting.
    fede = new_context().new_page()
    log_in(fede, "fede@facttic.coop")
    fede.goto(assembly_url)
    fede.get_by_role("button", name="Add updates and proposals to the agenda").click()
    fede.get_by_role("button", name="Publish the agenda").click()
    expect(fede.get_by_role("status")).to_contain_text("The agenda is published")
    fede.get_by_role("link", name="Run the meeting").click()
    fede.get_by_role("button", name="Open the assembly").click()
    expect(fede.get_by_role("heading", name="Now: Update from Tech")).to_be_visible()
    fede.get_by_role("button", name="Next item").click()
    expect(fede.get_by_role("heading", name="Now: Adopt the backup policy")).to_be_visible()

    attendance = fede.get_by_role("region", name="Attendance")
    attendance.get_by_role("button", name="Cora Coordinator").click()
    expect(attendance.get_by_role("button", name="Cora Coordinator")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(fede.locator("#quorum")).to_contain_text("Quorum reached.")
    fede.reload()

    decision = fede.get_by_role("form", name="Record a decision")
    decision.get_by_label(label("Decision")).fill("We adopt the backup policy.")
    decision.get_by_label(label("Method")).select_option(label="Consent")
    decision.get_by_label(label("Outcome")).select_option(label="Adopted")
    decision.get_by_role("button", name="Record the decision").click()
    expect(fede.get_by_role("status")).to_contain_text("The decision is recorded.")
    expect(fede.get_by_role("heading", name="Now: Adopt the backup policy")).to_be_visible()

    action = fede.get_by_role("form", name="Record an action item")
    action.get_by_label(label("Action")).fill("Translate the backup policy")
    action.get_by_label(label("Owner")).select_option(label="Mila Member")
    action.get_by_label(label("Due date")).fill("2030-06-20")
    action.get_by_role("button", name="Record the action").click()
    expect(fede.get_by_role("status")).to_contain_text("The action item is recorded.")
    fede.get_by_role("button", name="Close the assembly and publish the minutes").click()

    # The member sees the decision on the assembly page and the action on her own page.
    mila = new_context().new_page()
    log_in(mila, "mila@camplight.coop")
    mila.goto(assembly_url)
    expect(mila.get_by_role("region", name="Decisions")).to_contain_text(
        "We adopt the backup policy."
    )
    mila.goto(f"/people/{member.pk}/")
    actions = mila.get_by_role("region", name="Action items from assemblies")
    expect(actions).to_contain_text("Translate the backup policy")
    expect(actions).to_contain_text(re.compile(r"due June 20, 2030"))
