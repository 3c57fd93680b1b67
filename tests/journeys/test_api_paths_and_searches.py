"""Journey: what a person does through the API shows on the pages. The demo coordinator puts a
learning path together through the API and finds it on the hub, in the order sent; the demo
member marks its first guide done through the API and the path's page shows one of two done;
the member saves a search through the API, finds it on "My saved searches", changes it and
deletes it there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from hub.models import Guide, GuideDone, LearningPath
from members.models import Person
from offers.models import SavedSearch
from tests.journeys.conftest import DEMO_COORDINATOR, DEMO_MEMBER

PATH_TITLE = "Two guides, through the API"
SEARCH_NAME = "Rooms in Sofia, through the API"


def _api(page: Page, method: str, url: str, body: dict):
    """A call from the signed-in browser, as the site's own scripts would make it: the session
    cookie, and the CSRF token Django asks of a session's writes."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.fetch(
        url, method=method, data=body, headers={"X-CSRFToken": token, "Referer": page.url}
    )


@pytest.fixture
def cleaned_up():
    member = Person.objects.get(user__email=DEMO_MEMBER)
    done_before = set(GuideDone.objects.filter(person=member).values_list("pk", flat=True))
    yield
    LearningPath.objects.filter(title=PATH_TITLE).delete()
    GuideDone.objects.filter(person=member).exclude(pk__in=done_before).delete()
    SavedSearch.objects.filter(name__startswith=SEARCH_NAME).delete()


def test_a_path_made_and_marked_through_the_api_shows_on_its_page(
    page: Page, browser, log_in_as, live_server, cleaned_up
):
    member = Person.objects.get(user__email=DEMO_MEMBER)
    done = GuideDone.objects.filter(person=member).values("guide_id")
    first, second = Guide.objects.filter(status=Guide.Status.PUBLISHED).exclude(pk__in=done)[:2]

    log_in_as(page, DEMO_COORDINATOR)
    page.goto("/hub/")
    made = _api(
        page,
        "POST",
        "/api/v1/learning-paths/",
        {"title": PATH_TITLE, "guides": [first.slug, second.slug]},
    )
    assert made.status == 201, made.text()
    path = made.json()
    page.goto(f"/hub/paths/{path['slug']}/")
    expect(page.get_by_role("heading", name=PATH_TITLE)).to_be_visible()
    # By address: the coordinator may read the guides' titles in another language.
    links = page.locator("main a[href*='/hub/guides/']")
    expect(links.first).to_be_visible()
    hrefs = [href for href in links.evaluate_all("links => links.map(a => a.pathname)")]
    order = [slug for slug in dict.fromkeys(h.split("/")[3] for h in hrefs)]
    assert order == [first.slug, second.slug]

    reader = browser.new_context(base_url=live_server.url).new_page()
    log_in_as(reader, DEMO_MEMBER)
    reader.goto(f"/hub/paths/{path['slug']}/")
    expect(reader.locator("progress")).to_have_attribute("value", "0")
    url = f"/api/v1/learning-paths/{path['slug']}/progress/"
    marked = _api(reader, "POST", url, {"guide": first.slug, "done": True})
    assert marked.status == 200, marked.text()
    assert marked.json()["guides_done"] == [first.slug] and marked.json()["percent"] == 50
    again = _api(reader, "POST", url, {"guide": first.slug, "done": True})
    assert again.json() == marked.json()
    reader.reload()
    expect(reader.locator("progress")).to_have_attribute("value", "1")
    expect(reader.locator("progress")).to_have_attribute("max", "2")


def test_a_search_saved_through_the_api_is_on_my_saved_searches(page: Page, log_in_as, cleaned_up):
    log_in_as(page, DEMO_MEMBER)
    page.goto("/offers/searches/")
    made = _api(
        page,
        "POST",
        "/api/v1/offers/searches/",
        {"name": SEARCH_NAME, "kind": "room", "country": "BG", "tags": ["coworking"]},
    )
    assert made.status == 201, made.text()
    page.reload()
    card = page.locator(".card", has=page.get_by_role("heading", name=SEARCH_NAME))
    expect(card).to_be_visible()
    expect(card.get_by_text("#coworking")).to_be_visible()

    url = f"/api/v1/offers/searches/{made.json()['id']}/"
    renamed = _api(page, "PATCH", url, {"name": f"{SEARCH_NAME} (daily)", "frequency": "daily"})
    assert renamed.status == 200, renamed.text()
    page.reload()
    card = page.locator(".card", has=page.get_by_role("heading", name=f"{SEARCH_NAME} (daily)"))
    card.get_by_role("button").click()
    expect(page.get_by_role("heading", name=f"{SEARCH_NAME} (daily)")).to_have_count(0)
    assert page.request.get(url).status == 404
