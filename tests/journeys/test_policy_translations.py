"""Journey: a member reads a demo policy in another language and adds a translation of their own
(issue 17, "Content in many languages").

The demo member reads the site in English. "Decision making by consent" is written in English and
translated into Spanish (from its current version) and French (from version 1, so older than the
original). The member picks each translation from the "Read in" links, sees it marked with its
`lang` and told apart from the original, then translates the policy into Portuguese through the
form and reads it back. The page passes axe as it shows a translation. The journey's own
translation is removed when it ends, so the demo stays as it was for other journeys.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from policies.models import Policy, PolicyTranslation
from tests.journeys.conftest import DEMO_MEMBER, label
from tests.journeys.test_pages_fit import AXE_URL, VIEWPORTS, _problems, _serve_axe

pytestmark = pytest.mark.browser

SLUG = "decision-making-by-consent"


@pytest.fixture
def policy():
    policy = Policy.objects.get(slug=SLUG)
    yield policy
    PolicyTranslation.objects.filter(policy=policy, language="pt-br").delete()


def _axe_finds_nothing(page: Page, base_url: str) -> None:
    page.context.route(f"{base_url}{AXE_URL}", _serve_axe)
    problems = _problems(page, VIEWPORTS["desktop"])
    assert not problems, "\n  ".join(problems)


def test_a_member_reads_a_policy_in_spanish_and_french_and_adds_portuguese(
    page: Page, log_in_as, policy, base_url
):
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in_as(page, DEMO_MEMBER)
    page.goto("/policies/")
    page.get_by_role("link", name="Decision making by consent", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision making by consent")

    read_in = page.get_by_role("navigation", name="Read in")
    expect(read_in).to_contain_text("English (original)")
    read_in.get_by_role("link", name="Español").click()

    # The Spanish translation, in Spanish, and said to be a translation of the binding original.
    expect(page).to_have_url(re.compile(r"\?language=es$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Decidir por consentimiento")
    expect(heading).to_have_attribute("lang", "es")
    text = page.locator("div[lang=es]", has_text="Decidimos por consentimiento")
    expect(text).to_be_visible()
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("This is a translation into Spanish.")
    expect(notice).to_contain_text("The original, in English, is the text that binds.")
    expect(notice).not_to_contain_text("Older than the original")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the page's own words

    # French was made from version 1: older than the original, which the page says.
    page.get_by_role("navigation", name="Read in").get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "fr")
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("Older than the original.")
    expect(notice).to_contain_text(
        "This translation was made from version 1; the original is now at version 2."
    )
    expect(notice.get_by_role("link", name="Update this translation")).to_be_visible()
    _axe_finds_nothing(page, base_url)
    notice.get_by_role("link", name="Read the original.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision making by consent")

    # A translation of the member's own, through the real form.
    page.get_by_role("link", name="Add a translation").click()
    page.get_by_label(label("Language of the translation")).select_option("pt-br")
    page.get_by_label(label("Translated title")).fill("Decidir por consentimento")
    page.get_by_label(label("Translated text")).fill(
        "Decidimos por **consentimento**: uma proposta é aprovada quando ninguém tem uma "
        "objeção fundamentada."
    )
    page.get_by_role("button", name="Add the translation").click()

    expect(page).to_have_url(re.compile(r"\?language=pt-br$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Decidir por consentimento")
    expect(heading).to_have_attribute("lang", "pt-br")
    expect(page.locator("div[lang=pt-br] strong", has_text="consentimento")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("Translated by Tom Okafor from version 2.")
    expect(page.get_by_role("navigation", name="Read in")).to_contain_text("Português")
    _axe_finds_nothing(page, base_url)
