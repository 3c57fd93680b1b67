"""Journey: a lead publishes a case study (issue 15, "Case studies").

The demo member (Tom) led the demo's last finished client project, the farmers' market shop,
which has no case study yet. He finds it on the case studies page, starts the draft (pre-filled
from the project: its co-ops, countries, skills, phases and the software the project lists),
writes the story and the outcome, tries to publish and is told to record the client's
permission first, records it, and publishes. A visitor then finds it on the case studies page
and on the page of a co-op of the team. The journey's case study is deleted when it ends, so
the demo stays as it was.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from casestudies.models import CaseStudy
from projects.models import Project
from tests.journeys.conftest import DEMO_MEMBER, label
from tests.journeys.test_pages_fit import VIEWPORTS

pytestmark = pytest.mark.browser

PROJECT = "Shop for a farmers' market co-op"


@pytest.fixture
def project():
    found = Project.objects.get(name=PROJECT)
    assert found.status == Project.Status.FINISHED
    assert found.leads.filter(user__email=DEMO_MEMBER).exists()
    assert not CaseStudy.objects.filter(project=found).exists()
    yield found
    CaseStudy.objects.filter(project=found).delete()


def test_a_lead_publishes_a_case_study_once_the_client_agreed(
    page: Page, browser: Browser, base_url: str, log_in_as, project
):
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in_as(page, DEMO_MEMBER)
    page.goto("/case-studies/")
    page.get_by_role("link", name=f"Write its case study {PROJECT}").click()

    # What the draft takes from the project, shown before it is saved.
    facts = page.get_by_role("region", name="What the draft takes from the project")
    expect(facts).to_contain_text("WordPress")
    expect(facts).to_contain_text("Project management")
    page_form = page.locator("form.narrow")
    expect(page_form.get_by_label("WordPress", exact=True)).to_be_checked()
    expect(page_form.get_by_label("Odoo", exact=True)).to_be_checked()
    page.get_by_label(label("Title")).fill("Weekly boxes, ordered online")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the case study")
    page.get_by_label(label("Summary")).fill("A farmers' market co-op sells its boxes online.")
    page.get_by_label(label("The story")).fill(
        "The market took orders on paper every Saturday. The team built a **WordPress** shop "
        "and linked it to the co-op's accounts in Odoo."
    )
    page.get_by_label(label("The outcome")).fill("- Orders doubled in three months.")
    page.get_by_role("button", name="Save the case study").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weekly boxes, ordered online")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")

    # Not before the client agreed: the page says so, and nothing is published.
    page.get_by_role("button", name="Publish it").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Record the client's permission before publishing"
    )
    page.get_by_role("link", name="Record the client's permission").click()
    page.get_by_label("By email").check()
    page.get_by_label(label("Who agreed for the client")).fill("Rosa Díaz, market secretary")
    page.get_by_label(label("Consent note")).fill("Email of 3 November, in the project folder.")
    page.get_by_role("button", name="Record the permission").click()
    expect(page.get_by_text("The client's permission is recorded.")).to_be_visible()
    page.get_by_role("button", name="Publish it").click()
    expect(
        page.get_by_text("The case study is published: everyone can read it now.")
    ).to_be_visible()

    case_study = CaseStudy.objects.get(project=project)
    assert case_study.status == CaseStudy.Status.PUBLISHED
    assert case_study.consent_recorded_by.user.email == DEMO_MEMBER
    coop = case_study.coops.exclude(pk=case_study.created_by.organisation_id).first()
    assert coop is not None

    # A visitor, in a browser of their own.
    visitor = browser.new_context(base_url=base_url, viewport=VIEWPORTS["phone"])
    reader = visitor.new_page()
    reader.goto("/case-studies/")
    reader.get_by_role("link", name="Weekly boxes, ordered online").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Weekly boxes, ordered online")
    expect(reader.get_by_text("Orders doubled in three months.")).to_be_visible()
    expect(reader.get_by_text("For the project's leads")).to_have_count(0)
    reader.goto(coop.get_absolute_url())
    section = reader.get_by_role("region", name="Case studies")
    section.get_by_role("link", name="Weekly boxes, ordered online").click()
    expect(reader).to_have_url(re.compile(re.escape(case_study.get_absolute_url()) + "$"))
    visitor.close()
