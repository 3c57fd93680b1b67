"""The public assemblies' iCal feed: what anyone may subscribe to, as calendar apps read it.

Everyone gets the public assemblies of the last year and ahead, each with the UID its own file
and emails use, times in UTC, and never a members-only assembly or a meeting link. Calendar
apps poll it for years, so an unchanged feed answers 304 from one query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from assemblies import services
from assemblies.models import Assembly
from tests.assemblies.factories import AssemblyFactory

pytestmark = pytest.mark.django_db

FEED = "/assemblies/public.ics"
PUBLIC = Assembly.Visibility.PUBLIC


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(response) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in _calendar(response).walk("VEVENT")}


@pytest.fixture
def network(network_admin):
    """Public assemblies (one next month, one last month, one cancelled, one too old) and a
    members-only one."""
    now = timezone.now().replace(microsecond=0)
    next_month = AssemblyFactory(
        title="Next month's assembly",
        start=now + timedelta(days=30),
        visibility=PUBLIC,
        place="Casa de la Cultura, Rosario",
    )
    last_month = AssemblyFactory(
        title="Last month's assembly",
        start=now - timedelta(days=30),
        visibility=PUBLIC,
        status=Assembly.Status.CLOSED,
    )
    called_off = AssemblyFactory(
        title="Called-off assembly", start=now + timedelta(days=60), visibility=PUBLIC
    )
    services.assembly_cancel(actor=network_admin, assembly=called_off)
    AssemblyFactory(title="Two years ago", start=now - timedelta(days=730), visibility=PUBLIC)
    AssemblyFactory(title="Members' strategy day", start=now + timedelta(days=20))
    return {"next": next_month, "last": last_month, "cancelled": called_off}


def test_a_visitor_subscribes_to_the_public_assemblies_of_the_last_year_and_ahead(client, network):
    events = _events(client.get(FEED))

    assert set(events) == {
        "Next month's assembly",
        "Last month's assembly",
        "Called-off assembly",
    }


@override_settings(SITE_URL="https://patio.example")
def test_each_event_is_what_calendar_apps_need_and_the_same_event_as_its_own_file(
    client, login, member, network
):
    assembly = Assembly.objects.get(pk=network["next"].pk)
    calendar = _calendar(client.get(FEED))
    event = _events(client.get(FEED))["Next month's assembly"]
    own_file = Calendar.from_ical(
        login(member.user).get(reverse("assemblies:ics", args=[assembly.pk])).content
    )
    (own_event,) = own_file.walk("VEVENT")

    assert "METHOD" not in calendar, "a subscription, not an invitation"
    assert str(calendar["X-WR-CALNAME"]) == "Patio: public assemblies"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in calendar.to_ical()
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    assert str(event["UID"]) == str(own_event["UID"]) == f"assembly-{assembly.pk}@patio.example"
    assert event.decoded("DTSTART") == assembly.start
    assert f"DTSTART:{assembly.start:%Y%m%dT%H%M%S}Z".encode() in event.to_ical(), "in UTC"
    assert event.decoded("DTEND") == assembly.start + timedelta(minutes=90)
    changed = assembly.updated_at.replace(microsecond=0)  # iCalendar counts whole seconds
    assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED") == changed
    assert event["SEQUENCE"] == assembly.sequence
    assert str(event["URL"]) == f"https://patio.example/assemblies/{assembly.pk}/"
    assert str(event["LOCATION"]) == "Casa de la Cultura, Rosario"
    assert f"https://patio.example/assemblies/{assembly.pk}/" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_cancelled_assembly_says_so_with_its_new_revision(client, network):
    event = _events(client.get(FEED))["Called-off assembly"]

    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_the_feed_never_holds_a_members_only_assembly_nor_a_meeting_link(client, network):
    body = client.get(FEED).content.decode()

    assert "Members' strategy day" not in body
    assert "meet.example.coop" not in body


def test_an_assembly_made_members_only_leaves_the_feed(client, network_admin, network):
    services.assembly_update(
        actor=network_admin, assembly=network["next"], data={"visibility": "members"}
    )

    assert "Next month's assembly" not in _events(client.get(FEED))


# Polling ----------------------------------------------------------------------------------------
def test_an_unchanged_feed_answers_304_from_one_query(client, network, django_assert_num_queries):
    first = client.get(FEED)
    etag, modified = first["ETag"], first["Last-Modified"]

    with django_assert_num_queries(1):
        again = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    by_date = client.get(FEED, HTTP_IF_MODIFIED_SINCE=modified)

    assert again.status_code == by_date.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == first["Cache-Control"] == "public, max-age=900"
    assert "Accept-Language" in again["Vary"]


def test_a_change_to_a_public_assembly_gives_the_feed_a_new_etag(client, network_admin, network):
    etag = client.get(FEED)["ETag"]
    start = network["next"].start + timedelta(hours=1)
    services.assembly_update(actor=network_admin, assembly=network["next"], data={"start": start})

    response = client.get(FEED, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    event = _events(response)["Next month's assembly"]
    assert event.decoded("DTSTART") == start and event["SEQUENCE"] == 1


def test_an_assembly_leaving_the_feed_gives_it_a_new_etag(client, network_admin, network):
    """Made members-only, the assembly's own change is not in the feed any more, nor is an
    assembly deleted: the feed counts one fewer."""
    etag = client.get(FEED)["ETag"]
    services.assembly_update(
        actor=network_admin, assembly=network["next"], data={"visibility": "members"}
    )
    private = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    Assembly.objects.filter(pk=network["last"].pk).delete()
    deleted = client.get(FEED, HTTP_IF_NONE_MATCH=private["ETag"])

    assert private.status_code == deleted.status_code == 200
    assert set(_events(deleted)) == {"Called-off assembly"}


def test_each_language_has_its_own_etag(client, network):
    english, spanish = client.get(FEED), client.get(FEED, {"lang": "es"})

    assert english["ETag"] != spanish["ETag"]
    assert client.get(FEED, {"lang": "es"}, HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


def test_an_empty_feed_is_still_a_calendar(client):
    response = client.get(FEED)

    assert _calendar(response).walk("VEVENT") == []
    assert "Last-Modified" not in response


@pytest.mark.parametrize("n", [2, 12])
def test_the_feed_costs_one_query_however_many_assemblies(client, n, django_assert_num_queries):
    start = datetime(2030, 1, 3, 15, tzinfo=UTC)
    for i in range(n):
        AssemblyFactory(start=start + timedelta(days=30 * i), visibility=PUBLIC)

    with django_assert_num_queries(2):  # the version, then the rows
        response = client.get(FEED)

    assert len(_calendar(response).walk("VEVENT")) == n


def test_the_assembly_pages_link_the_feed_for_calendar_apps(client, login, member, network):
    public_page = client.get(network["next"].get_absolute_url()).content.decode()
    list_page = login(member.user).get("/assemblies/").content.decode()

    link = '<link rel="alternate" type="text/calendar" href="/assemblies/public.ics?lang=en"'
    assert link in public_page and link in list_page
    assert 'href="/assemblies/public.ics?lang=en"' in public_page.split("<main", 1)[1]
    assert 'href="/assemblies/public.ics?lang=en"' in list_page.split("<main", 1)[1]
