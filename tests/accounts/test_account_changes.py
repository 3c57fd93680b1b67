"""Changing how someone signs in: the old address hears of a new one, the password is asked
again before the change, and a reset link does not outlive a day."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD

EMAILS = "/accounts/email/"


def _signed_in(user) -> Client:
    """Signed in, and the password given again just now (allauth asks for it once more before
    any change to how one signs in, however recent the login)."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def _add_address(client: Client, address: str):
    return client.post(EMAILS, {"email": address, "action_add": ""})


@pytest.mark.django_db
def test_adding_an_address_tells_the_address_already_there(member):
    client = _signed_in(member.user)
    mail.outbox.clear()

    _add_address(client, "mila.new@example.coop")

    told = [m for m in mail.outbox if m.to == [member.user.email]]
    assert len(told) == 1
    assert "mila.new@example.coop" in told[0].body
    assert "added" in told[0].subject
    assert any(m.to == ["mila.new@example.coop"] for m in mail.outbox), "no confirmation sent"


@pytest.mark.django_db
def test_adding_an_address_asks_for_the_password_again_after_ten_minutes(member):
    client = _signed_in(member.user)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = _add_address(client, "someone.else@example.coop")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert not member.user.emailaddress_set.filter(email="someone.else@example.coop").exists()

        client.post(response["Location"], {"password": PASSWORD})
        _add_address(client, "someone.else@example.coop")
    assert member.user.emailaddress_set.filter(email="someone.else@example.coop").exists()


@pytest.mark.django_db
def test_changing_the_password_needs_the_current_one(client, member):
    client.force_login(member.user)
    new = "a new long passphrase"

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not my password", "password1": new, "password2": new},
    )

    assert response.status_code == 200
    member.user.refresh_from_db()
    assert member.user.check_password(PASSWORD)


def _reset_link(client: Client, email: str) -> str:
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": email})
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body)[1]


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "works"), [(23, True), (25, False)])
def test_a_password_reset_link_works_for_a_day(client, member, hours, works):
    link = _reset_link(client, member.user.email)

    with time_machine.travel(timezone.now() + timedelta(hours=hours)):
        page = client.get(link, follow=True)

    assert ("password1" in page.content.decode()) is works
