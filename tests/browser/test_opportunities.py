"""A coordinator posts an opportunity with two roles and opens it; a member finds it by skill and
says they are interested."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from circles.models import Circle, CircleMembership
from tests.browser.conftest import label
from tests.factories import PersonFactory, PersonSkillFactory, SkillFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def network(transactional_db, coop, member):
    circle = Circle.objects.create(
        name="Job opportunities", slug="job-opportunities", purpose="Staff the work."
    )
    cora = PersonFactory(
        organisation=coop, display_name="Cora Coordinator", user__email="cora@camplight.coop"
    )
    CircleMembership.objects.create(
        circle=circle, person=cora, role=CircleMembership.Role.COORDINATOR
    )
    django_skill = SkillFactory(name="Django")
    SkillFactory(name="Figma")
    SkillFactory(name="Welding")
    PersonSkillFactory(person=member, skill=django_skill)
    return circle


def _fill_role(page: Page, index: int, title: str, hours: str, skill: str) -> None:
    page.locator(f'[name="roles-{index}-title"]').fill(title)
    page.locator(f'[name="roles-{index}-hours_per_week"]').fill(hours)
    page.locator(f'[name="roles-{index}-skill_0"]').select_option(label=skill)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-htmx", "without-javascript"])
def test_a_coordinator_posts_and_opens_an_opportunity_and_a_member_says_they_are_interested(
    network, new_context, log_in, javascript
):
    coordinator = new_context(java_script_enabled=javascript).new_page()
    log_in(coordinator, "cora@camplight.coop")
    coordinator.goto("/opportunities/")
    coordinator.get_by_role("link", name="Post an opportunity").first.click()

    coordinator.get_by_label(label("Title")).fill("Member portal for Vivienda Sur")
    coordinator.get_by_label(label("Description")).fill("Sign-in and documents.")
    _fill_role(coordinator, 0, "Backend developer", "20", "Django")
    if javascript:
        coordinator.evaluate("window.stillTheSamePage = true")
    coordinator.get_by_role("button", name="Add another role").click()
    expect(coordinator.locator('[name="roles-1-title"]')).to_be_visible()
    if javascript:
        assert coordinator.evaluate("window.stillTheSamePage") is True
    _fill_role(coordinator, 1, "Designer", "8", "Figma")
    coordinator.get_by_role("button", name="Save", exact=True).click()

    expect(coordinator.get_by_role("status")).to_contain_text("saved as a draft")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Member portal for Vivienda Sur"
    )
    coordinator.get_by_role("button", name="Move to “Open”").click()
    expect(coordinator.get_by_role("status")).to_contain_text("now “Open”")
    roles = coordinator.get_by_role("region", name="Roles")
    expect(roles.get_by_role("heading", name="Backend developer")).to_be_visible()
    expect(roles.get_by_role("heading", name="Designer")).to_be_visible()

    member = new_context(java_script_enabled=javascript).new_page()
    log_in(member, "mila@camplight.coop")
    member.goto("/opportunities/")
    member.get_by_label(label("Skill needed")).select_option(label="Django")
    member.get_by_role("button", name="Search", exact=True).click()
    expect(member.get_by_role("heading", name="1 opportunity found")).to_be_visible()
    expect(member).to_have_url(re.compile(r"/opportunities/\?.*skill=django"))
    member.locator("#results").get_by_role("link", name="Member portal for Vivienda Sur").click()

    member.get_by_label(label("Which role?")).select_option(label="Backend developer")
    member.get_by_role("button", name="I am interested").click()
    expect(member.get_by_role("button", name="Withdraw my interest")).to_be_visible()

    coordinator.reload()
    interested = coordinator.get_by_role("region", name="Interested people")
    expect(interested).to_contain_text("Mila Member")
    expect(interested).to_contain_text("Backend developer")
