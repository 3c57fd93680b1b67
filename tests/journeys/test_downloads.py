"""Downloads people expect, over the demo network: the demo member filters the co-op directory by
country and downloads it as CSV, and gets the co-ops the page showed; a visitor subscribes to the
public assemblies' calendar from a public assembly's page and gets the demo's public assemblies.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from assemblies.models import Assembly
from members.models import Organisation
from tests.journeys.conftest import DEMO_MEMBER

COUNTRY = "Argentina"


def _result_names(page: Page) -> list[str]:
    return page.locator("#results .card h3 a").all_inner_texts()


def test_the_member_downloads_the_coops_of_a_country_the_page_showed(page: Page, log_in_as):
    expected = Organisation.objects.filter(country="AR").count()  # members see applicants too
    assert 1 < expected <= 25, "the demo's Argentinian co-ops fit on one page"
    log_in_as(page, DEMO_MEMBER)
    page.goto("/coops/")
    filters = page.get_by_role("search")
    filters.get_by_role("checkbox", name=COUNTRY).check()
    filters.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text(f"{expected} co-ops found")
    shown = _result_names(page)

    with page.expect_download() as download_info:
        page.locator("#results").get_by_role("link", name="Download as CSV").click()
    download = download_info.value

    assert download.suggested_filename.startswith("patio-coops-country-ar-")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["name"] for row in rows] == shown
    assert {row["country"] for row in rows} == {"AR"}


def test_a_visitor_sees_no_download_on_the_directory(page: Page):
    page.goto("/coops/")
    expect(page.locator("#results-heading")).to_be_visible()

    expect(page.get_by_role("link", name="Download as CSV")).to_have_count(0)


def test_a_visitor_subscribes_to_the_public_assemblies(page: Page):
    since = timezone.now() - timedelta(days=365)
    public = list(Assembly.objects.filter(visibility=Assembly.Visibility.PUBLIC, start__gte=since))
    members_only = Assembly.objects.filter(visibility=Assembly.Visibility.MEMBERS)
    assert public, "the demo has public assemblies"
    assert members_only.exists(), "and members-only ones"

    page.goto(public[0].get_absolute_url())
    link = page.get_by_role("link", name="Subscribe to the public assemblies (iCal)")
    expect(link).to_be_visible()
    feed = page.request.get(link.evaluate("a => a.href"))  # what a calendar app fetches

    assert feed.ok and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    events = {str(e["UID"]): e for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    host = urlsplit(settings.SITE_URL).hostname
    # Exactly the public ones: the members-only assemblies stay off the public feed.
    assert set(events) == {f"assembly-{assembly.pk}@{host}" for assembly in public}
    for assembly in public:
        event = events[f"assembly-{assembly.pk}@{host}"]
        assert str(event["SUMMARY"]) == assembly.title
        assert event.decoded("DTSTART") == assembly.start.replace(microsecond=0)
