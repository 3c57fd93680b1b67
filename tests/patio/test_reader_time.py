"""Every reader sees their own time: the browser's zone as it really sends it, new accounts
starting in it, and allauth's emails naming the site rather than the address it was reached on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.models import User
from members.models import Person
from tests.factories import InvitationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new passphrase 2026"


def test_the_encoded_cookie_patio_js_writes_is_decoded(client):
    # encodeURIComponent("America/Bogota"): what a browser in Bogotá really sends.
    client.cookies["tz"] = "America%2FBogota"

    page = client.get("/").content.decode()

    assert "Times are shown in America/Bogota." in page


def test_a_visitor_in_bogota_sees_a_utc_moment_five_hours_earlier(client, member):
    Person.objects.filter(pk=member.pk).update(
        profile_visibility="public", updated_at=dt.datetime(2025, 1, 15, 0, 30, tzinfo=dt.UTC)
    )
    client.cookies["tz"] = "America%2FBogota"

    page = client.get(f"/people/{member.pk}/").content.decode()

    assert "January 14, 2025, 7:30\u202fPM (America/Bogota)" in page


@pytest.mark.parametrize("cookie", ["America%2FNowhere", "%2E%2E%2Fetc", "%ZZ"])
def test_an_encoded_cookie_naming_no_known_zone_falls_back_to_utc(client, cookie):
    client.cookies["tz"] = cookie

    assert "Times are shown in UTC." in client.get("/").content.decode()


def _sign_up(client, invitation, *, tz_cookie: str | None):
    if tz_cookie is not None:
        client.cookies["tz"] = tz_cookie
    client.get(invitation.get_absolute_url())
    return client.post(
        "/accounts/signup/",
        {"email": invitation.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_a_new_account_starts_in_the_timezone_the_browser_reports(client, coop):
    invitation = InvitationFactory(organisation=coop, email="kenji@example.coop")

    response = _sign_up(client, invitation, tz_cookie="Asia%2FTokyo")

    assert response.status_code == 302
    person = Person.objects.get(user__email="kenji@example.coop")
    assert person.timezone == "Asia/Tokyo"
    assert "Times are shown in Asia/Tokyo." in client.get("/me/").content.decode()


def test_a_new_account_without_a_reported_zone_keeps_the_default(client, coop):
    invitation = InvitationFactory(organisation=coop, email="ana@example.coop")

    _sign_up(client, invitation, tz_cookie="Mars%2FOlympus")

    assert Person.objects.get(user__email="ana@example.coop").timezone == "UTC"


def test_allauth_emails_name_the_site_not_the_address_it_was_reached_on(client, coop):
    person = PersonFactory(organisation=coop, user__email="reset@example.coop")
    assert User.objects.filter(pk=person.user_id).exists()

    client.post("/accounts/password/reset/", {"email": "reset@example.coop"}, HTTP_HOST="127.0.0.1")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("[Patio] ")
    assert "Patio" in message.body
    assert "Hello from 127.0.0.1" not in message.body
    assert "example.com" not in message.body


def test_a_listed_person_joining_keeps_the_zone_their_coop_gave_them(client, coop):
    from members import services

    person = PersonFactory(organisation=coop, user=None, timezone="America/Lima")

    services.person_timezone_from_browser(person=person, zone_name="Asia/Tokyo")

    person.refresh_from_db()
    assert person.timezone == "America/Lima"
