"""Journey: a member writes a guide and its Spanish translation, the reviewing circle's demo
member publishes it after sending it back once, and a visitor reads it in both languages
(issue 15, "A knowledge hub").

The demo member (Tom) writes the guide on the hub's editor and chooses Education to review it;
the demo coordinator (Lucía) is a member of Education. She finds it on her home page, sends it
back with a comment, Tom answers it and sends it again, and she publishes it. A visitor then finds
it on the hub, reads it in English and, from the "Read in" links, in Spanish, each marked with
its own `lang`. The journey's guide is deleted when it ends, so the demo stays as it was.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from hub.models import Guide
from members.models import Person
from tests.journeys.conftest import DEMO_COORDINATOR, DEMO_MEMBER, label
from tests.journeys.test_pages_fit import VIEWPORTS

pytestmark = pytest.mark.browser

TITLE = "Sharing a server between three co-ops"
SPANISH = "Compartir un servidor entre tres cooperativas"


@pytest.fixture
def cleanup():
    """The demo coordinator reads the site in Spanish, and would be shown the Spanish
    translation; this journey reads its labels in English, so it switches her to English and
    back, and deletes its guide."""
    person = Person.objects.get(user__email=DEMO_COORDINATOR)
    Person.objects.filter(pk=person.pk).update(language="en")
    yield
    Person.objects.filter(pk=person.pk).update(language=person.language)
    Guide.objects.filter(title=TITLE).delete()


def test_a_members_guide_is_reviewed_published_and_read_in_two_languages(
    page: Page, browser: Browser, base_url: str, log_in_as, cleanup
):
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in_as(page, DEMO_MEMBER)
    page.goto("/hub/")
    page.get_by_role("link", name="Write a guide").click()
    page.get_by_label(label("Title")).fill(TITLE)
    page.get_by_label(label("Summary")).fill("Who pays, who patches, and who holds the keys.")
    page.get_by_label(label("Category")).select_option("inter_coop_projects")
    page.get_by_label(label("Language of the original")).select_option("en")
    page.get_by_label(label("Reviewing circle")).select_option(label="Education")
    page.get_by_label(label("Tags")).fill("hosting, shared costs")
    page.get_by_label(label("Text")).fill(
        "## Agree who patches\n\nOne co-op applies the **security updates** every month."
    )
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")

    page.get_by_role("link", name="Add a translation").click()
    page.get_by_label(label("Language of the translation")).select_option("es")
    page.get_by_label(label("Translated title")).fill(SPANISH)
    page.get_by_label(label("Translated summary")).fill(
        "Quién paga, quién actualiza y quién tiene las llaves."
    )
    page.get_by_label(label("Translated text")).fill(
        "## Acuerden quién actualiza\n\nUna cooperativa aplica las **actualizaciones de "
        "seguridad** cada mes."
    )
    page.get_by_role("button", name="Add the translation").click()
    expect(page).to_have_url(re.compile(r"\?language=es$"))
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "es")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent to Education for review.")).to_be_visible()

    # The reviewer, in a browser of her own.
    reviewer = browser.new_context(base_url=base_url, viewport=VIEWPORTS["desktop"])
    review = reviewer.new_page()
    log_in_as(review, DEMO_COORDINATOR)
    review.goto("/")
    waiting = review.locator("#waiting-guides")
    expect(waiting).to_contain_text("Guides waiting for your review")
    waiting.get_by_role("link", name=TITLE).click()
    review.get_by_label(label("What should the authors change?")).fill(
        "Say what happens when the co-op that patches leaves."
    )
    review.get_by_role("button", name="Send back to the authors").click()
    expect(review.get_by_text("The guide went back to its authors")).to_be_visible()

    # The author answers the comment and sends it again.
    page.reload()
    expect(page.get_by_role("note").filter(has_text="sent it back")).to_contain_text(
        "Say what happens when the co-op that patches leaves."
    )
    page.get_by_role("link", name="Edit the guide").click()
    page.get_by_label(label("Text")).fill(
        "## Agree who patches\n\nOne co-op applies the **security updates** every month.\n\n"
        "## When that co-op leaves\n\nThree months' notice, and the keys handed over."
    )
    page.get_by_role("button", name="Save the guide").click()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent to Education for review.")).to_be_visible()

    review.goto("/hub/")
    review.locator("#review").get_by_role("link", name=TITLE).click()
    review.get_by_role("button", name="Publish").click()
    expect(review.get_by_text("The guide is published")).to_be_visible()
    reviewer.close()

    # A visitor finds it and reads it in both languages.
    visitor = browser.new_context(base_url=base_url, viewport=VIEWPORTS["phone"], locale="en-GB")
    reader = visitor.new_page()
    reader.goto("/hub/?q=server")
    reader.get_by_role("link", name=TITLE).click()
    heading = reader.get_by_role("heading", level=1)
    expect(heading).to_have_text(TITLE)
    expect(heading).to_have_attribute("lang", "en")
    expect(reader.get_by_text("When that co-op leaves")).to_be_visible()
    read_in = reader.get_by_role("navigation", name="Read in")
    spanish_link = read_in.get_by_role("link", name="Español")
    expect(spanish_link).to_have_attribute("hreflang", "es")
    spanish_link.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(SPANISH)
    expect(reader.locator("div.guide-text[lang=es] strong")).to_have_text(
        "actualizaciones de seguridad"
    )
    # The Spanish text was made before the author's second revision: the page says so.
    expect(reader.get_by_role("note")).to_contain_text("Older than the original.")
    visitor.close()
