"""A policy reworked by the collective, as people do it in the browser: a member proposes an
amendment, others consent and one objects, the objection is integrated, the round closes and the
new version is adopted and shown with its history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from policies.models import ConsentRound
from policies.tasks import close_rounds
from tests.browser.conftest import label
from tests.policies import conftest as policy_cast

circle = policy_cast.circle
owner = policy_cast.owner
policy = policy_cast.policy
voters = policy_cast.voters

pytestmark = [pytest.mark.browser]


def _answer(page, url: str, answer: str, reason: str = "") -> None:
    page.goto(url)
    page.get_by_role("radio", name=answer, exact=True).check()
    if reason:
        page.get_by_label(label("Reason")).fill(reason)
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("status")).to_contain_text("Your answer is recorded.")


def test_a_member_proposes_others_answer_the_objection_is_integrated_and_the_version_adopted(
    new_context, log_in, policy, owner, member, colleague, outsider, voters
):
    # Mila proposes an amendment from the policy page and takes it to a consent round.
    mila = new_context().new_page()
    log_in(mila, "mila@camplight.coop")
    mila.goto("/policies/")
    mila.get_by_role("link", name="Decision making by consent").click()
    mila.get_by_role("link", name="Propose an amendment").click()
    mila.get_by_label(label("Title")).fill("Seven days to answer")
    mila.get_by_label(label("Proposed text")).fill("We decide by consent within seven days.")
    mila.get_by_label(label("Rationale")).fill("People in every timezone need time.")
    mila.get_by_role("button", name="Save as draft").click()
    expect(mila.get_by_role("status")).to_contain_text("saved as a draft")
    amendment_url = mila.url
    mila.get_by_role("button", name="Open for feedback").click()
    mila.get_by_role("button", name="Start the consent round").click()
    expect(mila.locator("#amendment-status")).to_have_text("Consent round")
    diff = mila.get_by_role("region", name="Proposed text, compared with version 1")
    expect(diff.locator("ins").first).to_be_visible()

    # Ivan consents; Omar objects, with his reason.
    ivan = new_context().new_page()
    log_in(ivan, "ivan@camplight.coop")
    _answer(ivan, amendment_url, "Consent")
    omar = new_context().new_page()
    log_in(omar, "omar@facttic.coop")
    _answer(omar, amendment_url, "Objection", "Seven days is too short over holidays.")
    expect(omar.get_by_role("region", name="Consent round 1")).to_contain_text(
        "Seven days is too short over holidays."
    )

    # Mila integrates the objection: a revised text, and a new round for everyone.
    mila.goto(amendment_url)
    mila.get_by_role("link", name="Revise the text").click()
    mila.get_by_label(label("Revised text")).fill("We decide by consent within ten days.")
    mila.get_by_role("checkbox").check()
    mila.get_by_role("button", name="Save the revision").click()
    expect(mila.get_by_role("status")).to_contain_text("The text is revised.")
    expect(mila.get_by_role("region", name="Consent round 2")).to_contain_text("No answers yet.")

    _answer(ivan, amendment_url, "Consent")
    _answer(omar, amendment_url, "Consent")

    # The round's time is up: the beat task closes it.
    ConsentRound.objects.filter(closed_at__isnull=True).update(
        opens_at=timezone.now() - timedelta(days=8), closes_at=timezone.now() - timedelta(seconds=1)
    )
    assert close_rounds() == 1

    # Olga, who coordinates the owning circle, adopts it.
    olga = new_context().new_page()
    log_in(olga, "olga@camplight.coop")
    olga.goto(amendment_url)
    expect(olga.get_by_role("region", name="Consent round 2")).to_contain_text("No open objection")
    olga.get_by_role("button", name="Adopt").click()
    expect(olga.locator("#amendment-status")).to_have_text("Adopted")

    # Everyone sees the new text, and the history with both versions.
    olga.get_by_role("link", name="Decision making by consent").first.click()
    expect(olga.get_by_role("region", name="What the policy says now")).to_contain_text(
        "within ten days"
    )
    history = olga.get_by_role("region", name="Version history")
    expect(history.get_by_role("row")).to_have_count(3)  # header + two versions
    expect(history).to_contain_text("adopted by consent (round 2)")
    expect(history).to_contain_text("founding text")
    olga.get_by_role("button", name="Compare").click()
    expect(olga.locator(".policy-diff ins").first).to_be_visible()
