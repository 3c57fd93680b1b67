"""A newcomer reads a demo co-op as a Murmurations profile: they open its page, follow the
alternate link in its head to the profile, and the profile validates against the JSON Schemas
written from the published definitions. Every public co-op of the demo has one; a co-op that
left answers 410 Gone."""

from __future__ import annotations

from django.conf import settings
from playwright.sync_api import Page, expect

from members.models import Organisation
from tests.journeys.conftest import DEMO_ADMIN
from tests.murmurations.validation import assert_valid, errors


def _path(href: str) -> str:
    assert href.startswith(settings.SITE_URL), href  # the permanent address, on SITE_URL
    return href.removeprefix(settings.SITE_URL)


def test_a_visitor_follows_a_coops_alternate_link_to_its_valid_profile(page: Page):
    coop = Organisation.objects.get(name="Federation of Co-operative Makers")
    page.goto(coop.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(coop.name)

    link = page.locator('head link[rel="alternate"][type="application/json"]')
    expect(link).to_have_attribute("title", "Murmurations profile")
    response = page.request.get(_path(link.get_attribute("href") or ""))

    assert response.ok and response.headers["content-type"] == "application/json"
    profile = response.json()
    assert_valid(profile)
    assert profile["name"] == coop.name
    assert profile["primary_url"] == f"{settings.SITE_URL}{coop.get_absolute_url()}"

    # The same address is in the page, for people to open.
    shown = page.get_by_role("link", name="Murmurations profile")
    expect(shown).to_have_attribute("href", link.get_attribute("href") or "")


def test_every_public_demo_coop_has_a_valid_profile_and_one_that_left_is_gone(page: Page):
    public = Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("pk")
    problems = {}
    for coop in public:
        response = page.request.get(f"/murmurations/coops/{coop.pk}.json")
        assert response.ok, (coop.name, response.status)
        if found := errors(response.json()):
            problems[coop.name] = found
    assert problems == {}
    assert public.count() > 90

    left = Organisation.objects.filter(
        status=Organisation.Status.LEFT, joined_on__isnull=False
    ).first()
    assert left is not None
    assert page.request.get(f"/murmurations/coops/{left.pk}.json").status == 410
    private = Organisation.objects.filter(status=Organisation.Status.SUSPENDED).first()
    assert private is not None
    assert page.request.get(f"/murmurations/coops/{private.pk}.json").status == 404


def test_the_network_admin_reads_the_demo_registrations_in_the_admin(page: Page, log_in_as):
    log_in_as(page, DEMO_ADMIN)
    page.goto("/admin/murmurations/registration/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#result_list")).to_contain_text("Registered")
    expect(page.locator("#result_list")).to_contain_text("Failing, will try again")
    expect(page.locator("#result_list")).to_contain_text("Connection refused")
    expect(page.locator("#result_list")).to_contain_text("Removed from the index")
