"""Long multi-selects are searchable checkbox lists (issue 17), over the demo network.

Every page a demo account meets with several choices offers checkboxes, never a
`<select multiple>`; a long list (more than 8) scrolls in its box and, with JavaScript, has a
"Filter the list" box that hides what does not match, accents and case aside, and says how many
are shown. At a phone's width a visitor filters the co-op directory by typing and ticking, and
the demo coordinator adds a language to her co-op with the script and takes it off again
without it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from playwright.sync_api import Page, expect

from members import selectors as member_selectors
from members.models import Language, Organisation
from patio.forms import SearchableCheckboxes
from projects import permissions as project_permissions
from projects.models import Opportunity, Project
from tests.html_forms import checkboxes, multiple_selects
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER

PHONE = {"width": 390, "height": 844}
VISITOR = "visitor"
PUBLIC = ["/coops/", "/people/", "/opportunities/", "/request-help/"]
# (page, the lists of several choices it must offer, at least)
LONG_LISTS = {
    "/coops/": {"country", "sector"},
    "/people/": {"country"},
    "/request-help/": {"preferred_languages"},
}


def _coordinators_coop() -> Organisation:
    return get_user_model().objects.get(email=DEMO_COORDINATOR).person.organisation


@pytest.fixture
def pages() -> dict[str, list[tuple[str, set[str]]]]:
    """Who opens which page, and which of its lists must be long ones."""
    coordinator = get_user_model().objects.get(email=DEMO_COORDINATOR)
    coop = _coordinators_coop()
    team = next(
        project
        for project in Project.objects.select_related("opportunity").order_by("id")
        if project_permissions.can_edit_project(coordinator, project)
        # A staffed opportunity locks its team's roles: that page has no form.
        and getattr(project.opportunity, "status", None) != Opportunity.Status.STAFFED
    )
    public = [(url, LONG_LISTS.get(url, set())) for url in PUBLIC]
    return {
        VISITOR: public,
        DEMO_MEMBER: public,
        DEMO_COORDINATOR: [
            (reverse("members:organisation_edit", args=[coop.slug]), {"languages", "sectors"}),
            (reverse("projects:opportunity_new"), {"working_languages"}),
            (reverse("projects:project_roles", args=[team.pk]), {"new-languages"}),
        ],
        DEMO_ADMIN: [
            (reverse("circles:new"), {"coordinators"}),
            (reverse("members:organisation_edit", args=[coop.slug]), {"languages", "sectors"}),
        ],
    }


def _lists(html: str) -> dict[str, tuple[str, int]]:
    """{field name: (how it is drawn, how many options)} for each list of checkboxes."""
    found: dict[str, tuple[str, int]] = {}
    for match in re.finditer(
        r'<div class="(checklist-options|checklist-plain)" id="([^"]+)">', html
    ):
        kind, list_id = match.groups()
        inputs = re.findall(rf'name="([^"]+)" value="[^"]*" id="{re.escape(list_id)}_\d+"', html)
        assert inputs, f"the list {list_id} has no checkboxes"
        found[inputs[0]] = ("long" if kind == "checklist-options" else "short", len(inputs))
    return found


@pytest.mark.parametrize("account", [VISITOR, DEMO_MEMBER, DEMO_COORDINATOR, DEMO_ADMIN])
def test_every_page_offers_checkboxes_never_a_select_multiple(client, pages, account):
    if account != VISITOR:
        client.force_login(get_user_model().objects.get(email=account))
    for url, long_ones in pages[account]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()

        assert multiple_selects(html) == [], url
        lists = _lists(html)
        assert long_ones <= {name for name, (kind, _n) in lists.items() if kind == "long"}, url
        for name, (kind, options) in lists.items():
            # More than 8 options scroll and can be filtered; 8 or fewer are plain checkboxes.
            assert kind == ("long" if options > SearchableCheckboxes.PLAIN_UP_TO else "short"), (
                url,
                name,
                options,
            )
        if any(kind == "long" for kind, _n in lists.values()):
            assert re.search(r'<script src="[^"]*js/checklist[^"]*" defer>', html), url


def _open_filters(page: Page) -> None:
    """On a phone the directory's filters are folded behind one line."""
    panel = page.locator("details.filters-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


@pytest.mark.browser
def test_a_visitor_on_a_phone_types_to_find_a_country_ticks_it_and_gets_its_coops(
    new_context,
):
    in_britain = member_selectors.organisation_list(AnonymousUser()).filter(country="GB").count()
    assert in_britain  # the demo has co-ops in the United Kingdom
    page = new_context(viewport=PHONE).new_page()
    page.goto("/coops/")
    _open_filters(page)
    country = page.get_by_role("group", name="Country", exact=True)
    options = country.locator("[data-checklist-option]")
    total = options.count()
    assert total > SearchableCheckboxes.PLAIN_UP_TO

    box = country.get_by_label("Filter the list")
    box.fill("UNITED")

    expect(country.get_by_role("checkbox", name="United Kingdom")).to_be_visible()
    expect(country.get_by_role("checkbox", name="United States")).to_be_visible()
    expect(country.get_by_role("checkbox", name="Argentina")).to_be_hidden()
    expect(country.locator("[data-checklist-option]:visible")).to_have_count(2)
    expect(country.locator("[aria-live=polite]")).to_have_text(f"2 of {total} shown")

    country.get_by_role("checkbox", name="United Kingdom").check()
    box.press("Enter")  # does not send a half-made choice
    box.press("Escape")  # the whole list again
    expect(country.locator("[data-checklist-option]:visible")).to_have_count(total)
    expect(country.locator("[data-checklist-summary]")).to_have_text("1 chosen: United Kingdom")
    expect(page).to_have_url(re.compile(r"/coops/$"))

    page.get_by_role("search").get_by_role("button", name="Search", exact=True).click()

    heading = f"{in_britain} co-op{'s' if in_britain != 1 else ''} found"
    expect(page.locator("#results-heading")).to_have_text(heading)
    expect(page).to_have_url(re.compile(r"/coops/\?(.*&)?country=GB(&|$)"))


@pytest.mark.browser
def test_the_coordinator_adds_a_language_by_typing_without_accents_and_removes_it_without_js(
    new_context, log_in_as
):
    coop = _coordinators_coop()
    japanese = Language.objects.get(code="ja")
    assert not coop.languages.filter(pk=japanese.pk).exists()
    url = reverse("members:organisation_edit", args=[coop.slug])

    page = new_context(viewport=PHONE).new_page()
    log_in_as(page, DEMO_COORDINATOR)  # she reads the site in Spanish
    page.goto(url)
    languages = page.locator("fieldset:has(> .checklist input[name=languages])")
    total = languages.locator("[data-checklist-option]").count()
    languages.locator("[data-checklist-filter]").fill("japones")

    expect(languages.locator("[data-checklist-option]:visible")).to_have_count(1)
    expect(languages.locator("[aria-live=polite]")).to_have_text(re.compile(rf"\b1\b.*\b{total}\b"))
    languages.get_by_role("checkbox", name="japonés").check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/coops/{coop.slug}/$"))
    assert coop.languages.filter(pk=japanese.pk).exists()

    plain = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in_as(plain, DEMO_COORDINATOR)
    plain.goto(url)
    languages = plain.locator("fieldset:has(> .checklist input[name=languages])")
    expect(languages.locator("[data-checklist-filter]")).to_be_hidden()  # it could not filter
    japanese_box = languages.get_by_role("checkbox", name="japonés")
    expect(japanese_box).to_be_checked()
    expect(languages.get_by_role("checkbox").first).to_be_checked()  # the chosen come first
    japanese_box.uncheck()
    plain.locator("main form button[type=submit]").click()

    expect(plain).to_have_url(re.compile(rf"/coops/{coop.slug}/$"))
    assert not coop.languages.filter(pk=japanese.pk).exists()
    response = plain.goto(url)
    assert response is not None
    boxes = checkboxes(response.text(), "languages")
    assert {box.value for box in boxes if box.checked} == {
        str(pk) for pk in coop.languages.values_list("pk", flat=True)
    }
