"""A member keeps their own profile up to date."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import label, open_menu
from tests.factories import PersonSkillFactory, SkillFactory

pytestmark = pytest.mark.browser


def test_member_logs_in_and_adds_a_skill_to_their_profile(page, log_in, member):
    PersonSkillFactory(person=member, skill=SkillFactory(name="Facilitation"))
    SkillFactory(name="Bookkeeping")

    log_in(page, "mila@camplight.coop")
    open_menu(page, "Account")
    page.get_by_role("link", name="My profile").click()
    skills = page.get_by_role("group", name="My skills")
    # The first row holds the skill she already has; the next one is empty.
    skills.get_by_label(label("Skill")).nth(1).select_option(label="Bookkeeping")
    skills.get_by_label(label("Level")).nth(1).select_option(label="Expert")
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    page.get_by_role("link", name="See my public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mila Member")
    listed = page.get_by_role("region", name="Skills")
    expect(listed.get_by_role("row", name="Bookkeeping")).to_contain_text("Expert")
    expect(listed.get_by_role("row", name="Facilitation")).to_be_visible()
