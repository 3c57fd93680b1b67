"""Calendar files partners and calendar apps rely on: UIDs unique to this installation, a
SEQUENCE that grows with each change of the event, and members-only files that a partner tool
(bearer API token) or a calendar app (the personal feed secret) can fetch without signing in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from accounts.services import token_create
from assemblies import services

pytestmark = pytest.mark.django_db


def _event(content: bytes):
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def _ics(client, assembly, **extra):
    return client.get(reverse("assemblies:ics", args=[assembly.pk]), **extra)


@override_settings(SITE_URL="https://patio.example")
def test_the_uid_carries_this_installations_domain(login, member, assembly):
    event = _event(_ics(login(member.user), assembly).content)

    assert str(event["UID"]) == f"assembly-{assembly.pk}@patio.example"


def test_the_sequence_grows_by_one_with_each_change_of_the_event(
    login, member, network_admin, assembly
):
    client = login(member.user)
    assert _event(_ics(client, assembly).content)["SEQUENCE"] == 0

    services.assembly_update(
        actor=network_admin, assembly=assembly, data={"start": assembly.start + timedelta(hours=1)}
    )
    assert _event(_ics(client, assembly).content)["SEQUENCE"] == 1
    services.assembly_update(actor=network_admin, assembly=assembly, data={"place": "Room 2"})
    assert _event(_ics(client, assembly).content)["SEQUENCE"] == 2
    # Who facilitates is not in the calendar: no new revision.
    services.assembly_update(actor=network_admin, assembly=assembly, data={"facilitator": None})
    assert _event(_ics(client, assembly).content)["SEQUENCE"] == 2
    services.assembly_cancel(actor=network_admin, assembly=assembly)
    event = _event(_ics(client, assembly).content)
    assert event["SEQUENCE"] == 3 and event["STATUS"] == "CANCELLED"


def test_a_partner_tool_fetches_the_file_with_a_bearer_token(client, member, assembly):
    _token, secret = token_create(actor=member.user, user=member.user, name="Cal", scope="read")
    response = _ics(client, assembly, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert str(_event(response.content)["SUMMARY"]) == "June assembly"


def test_a_bad_bearer_token_is_a_401(client, assembly):
    response = _ics(client, assembly, HTTP_AUTHORIZATION="Bearer patio_nope_nope")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_calendar_app_fetches_the_file_with_the_personal_feed_secret(client, member, assembly):
    secret = services.calendar_token_create(actor=member.user)

    response = client.get(reverse("assemblies:ics", args=[assembly.pk]), {"token": secret})
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content

    services.calendar_token_revoke(actor=member.user)
    revoked = client.get(reverse("assemblies:ics", args=[assembly.pk]), {"token": secret})
    assert revoked.status_code == 404


def test_a_token_of_someone_who_may_not_see_assemblies_opens_nothing(client, assembly):
    from tests.factories import UserFactory

    stranger = UserFactory()
    _token, secret = token_create(actor=stranger, user=stranger, name="Cal", scope="read")

    assert _ics(client, assembly, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404


def test_without_any_credential_a_visitor_is_sent_to_sign_in(client, assembly):
    response = _ics(client, assembly)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
