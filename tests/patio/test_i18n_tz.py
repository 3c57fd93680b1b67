"""Times are stored in UTC and shown in the reader's timezone, named; pages speak the reader's
language, chosen with the switcher or saved on their profile."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from members.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WINTER = dt.datetime(2025, 1, 15, 0, 30, tzinfo=dt.UTC)


def _set_updated_at(person, when: dt.datetime) -> None:
    Person.objects.filter(pk=person.pk).update(updated_at=when)  # update() skips auto_now


def _html_lang(response) -> str:
    return re.search(r'<html lang="([\w-]+)">', response.content.decode()).group(1)


def _profile_updated(response) -> str:
    """The 'Profile updated' line of a person page: the shown time and its machine form."""
    page = response.content.decode()
    return page[page.index("<time ") : page.index("</time>")]


@pytest.fixture
def public_person(member):
    Person.objects.filter(pk=member.pk).update(profile_visibility="public")
    _set_updated_at(member, WINTER)
    return member


# timezones ---------------------------------------------------------------------------------------
def test_a_person_in_tokyo_sees_times_in_tokyo_time_with_the_zone_named(login, member):
    Person.objects.filter(pk=member.pk).update(timezone="Asia/Tokyo")
    _set_updated_at(member, WINTER)

    response = login(member.user).get(f"/people/{member.pk}/")

    shown = _profile_updated(response)
    assert 'datetime="2025-01-15T00:30:00+00:00"' in shown  # stored and marked up in UTC
    assert "January 15, 2025, 9:30\u202fAM (Asia/Tokyo)" in shown
    assert "Times are shown in Asia/Tokyo." in response.content.decode()


def test_each_reader_sees_the_same_moment_in_their_own_zone(login, member, outsider):
    Person.objects.filter(pk=member.pk).update(timezone="Asia/Tokyo")
    Person.objects.filter(pk=outsider.pk).update(timezone="America/Argentina/Cordoba")
    _set_updated_at(member, WINTER)

    response = login(outsider.user).get(f"/people/{member.pk}/")

    assert "January 14, 2025, 9:30\u202fPM (America/Argentina/Cordoba)" in _profile_updated(
        response
    )


def test_a_visitor_sees_the_timezone_their_browser_reported(client, public_person):
    client.cookies["tz"] = "America/Argentina/Buenos_Aires"

    home = client.get("/").content.decode()
    assert "Times are shown in America/Argentina/Buenos_Aires." in home

    response = client.get(f"/people/{public_person.pk}/")
    assert "January 14, 2025, 9:30\u202fPM (America/Argentina/Buenos_Aires)" in _profile_updated(
        response
    )


@pytest.mark.parametrize("cookie", ["Mars/Olympus_Mons", "", "../../etc/passwd", "utc+3"])
def test_an_invalid_timezone_cookie_falls_back_to_utc(client, public_person, cookie):
    client.cookies["tz"] = cookie
    response = client.get(f"/people/{public_person.pk}/")
    assert response.status_code == 200
    assert "Times are shown in UTC." in response.content.decode()
    assert "January 15, 2025, 12:30\u202fAM (UTC)" in _profile_updated(response)


def test_a_persons_own_timezone_wins_over_the_browser_cookie(login, member):
    Person.objects.filter(pk=member.pk).update(timezone="Asia/Tokyo")
    client = login(member.user)
    client.cookies["tz"] = "Europe/Lisbon"
    assert "Times are shown in Asia/Tokyo." in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (
            dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC),
            "January 15, 2025, 2:00\u202fPM (Europe/Sofia)",
        ),
        (
            dt.datetime(2025, 7, 15, 12, 0, tzinfo=dt.UTC),
            "July 15, 2025, 3:00\u202fPM (Europe/Sofia)",
        ),
    ],
    ids=["winter-utc+2", "summer-utc+3"],
)
def test_sofia_time_follows_daylight_saving(client, public_person, utc, shown):
    _set_updated_at(public_person, utc)
    client.cookies["tz"] = "Europe/Sofia"
    assert shown in _profile_updated(client.get(f"/people/{public_person.pk}/"))


# languages ---------------------------------------------------------------------------------------
def test_pages_are_in_english_by_default(client, db):
    response = client.get("/")
    assert _html_lang(response) == "en"
    assert response["Content-Language"] == "en"


def test_a_visitors_browser_language_is_used(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-AR,es;q=0.9")
    assert _html_lang(response) == "es"


def test_the_language_switcher_switches_a_visitor_to_spanish(client, db):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/coops/"})

    assert response.status_code == 302
    assert response["Location"] == "/coops/"
    assert client.cookies["django_language"].value == "es"
    page = client.get("/coops/", HTTP_ACCEPT_LANGUAGE="en")
    assert _html_lang(page) == "es"
    assert page["Content-Language"] == "es"
    assert 'value="es" lang="es" class="link" aria-current="true"' in page.content.decode()


def test_the_language_switcher_saves_a_persons_preference(client, login, member):
    response = login(member.user).post("/i18n/setlang/", {"language": "es", "next": "/"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"

    client.cookies.clear()  # another browser: the saved preference still applies
    client.force_login(member.user)
    assert _html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_the_language_switcher_ignores_a_language_the_site_does_not_offer(login, member):
    client = login(member.user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"
    assert _html_lang(client.get("/")) == "en"


def test_a_person_who_prefers_spanish_gets_spanish_pages_after_logging_in(client, member):
    Person.objects.filter(pk=member.pk).update(language="es")

    login = client.post(
        "/accounts/login/",
        {"login": member.user.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert login.status_code == 302

    for path in ("/", "/coops/", "/me/", f"/people/{member.pk}/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, path
        assert _html_lang(response) == "es", path


def test_a_persons_saved_preference_wins_over_the_switcher_cookie(client, login, member):
    Person.objects.filter(pk=member.pk).update(language="es")
    client = login(member.user)
    client.cookies["django_language"] = "en"
    assert _html_lang(client.get("/")) == "es"
