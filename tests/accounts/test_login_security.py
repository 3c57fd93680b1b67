"""Signing in: the admin goes through allauth (so two-factor applies there too), and failed
logins slow the next attempt down without ever locking the owner out of their account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import PersonFactory, UserFactory

LOGIN = "/accounts/login/"
ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def _totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period, whatever the tolerance
    return format_hotp_value(hotp_value(secret, counter))


def _login(client: Client, email: str, password: str, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def _wait_in(response) -> int | None:
    """The seconds the login page asks to wait, or None when it asks for nothing."""
    found = re.search(r"Try again in (\d+) second", response.content.decode())
    return int(found[1]) if found else None


@pytest.fixture
def admin_with_totp(db):
    user = UserFactory(email="root@patio.coop", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


@pytest.mark.django_db
def test_the_admin_login_page_sends_people_to_the_site_login(client, admin_with_totp):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_the_password_alone_does_not_open_the_admin_of_an_admin_with_totp(client, admin_with_totp):
    user, secret = admin_with_totp

    client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302, "the admin login took the password alone"

    response = _login(client, user.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302, "signed in before the second factor"

    client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_member_without_staff_rights_is_refused_the_admin(client, member):
    client.force_login(member.user)

    assert client.get("/admin/login/").status_code == 403


@pytest.mark.django_db
def test_forty_wrong_passwords_from_one_address_do_not_lock_out_the_owner(member):
    attacker, owner = Client(), Client()
    answers = [
        _login(attacker, member.user.email, f"guess {n}", REMOTE_ADDR=ATTACKER).status_code
        for n in range(40)
    ]

    assert answers == [200] * 40, "every attempt gets the login page back, with its error"
    assert _wait_in(_login(attacker, member.user.email, PASSWORD, REMOTE_ADDR=ATTACKER))
    response = _login(owner, member.user.email, PASSWORD, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(member.user.pk)


def _fail_patiently(client: Client, email: str, address: str, traveller) -> int | None:
    """A wrong password, after waiting as long as the page asks; returns the wait asked for."""
    wait = _wait_in(_login(client, email, "a wrong guess", REMOTE_ADDR=address))
    if wait:
        traveller.shift(timedelta(seconds=wait))
        assert _wait_in(_login(client, email, "a wrong guess", REMOTE_ADDR=address)) is None
    return wait


@pytest.mark.django_db
def test_each_failure_past_the_free_ones_doubles_the_wait(member):
    attacker = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        waits = [
            _fail_patiently(attacker, member.user.email, ATTACKER, traveller) for _ in range(10)
        ]

    assert waits == [None] * 5 + [1, 2, 4, 8, 16]


@pytest.mark.django_db
def test_an_attack_from_many_addresses_makes_the_owner_wait_a_minute_at_most(member):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        waits = [
            _fail_patiently(Client(), member.user.email, f"203.0.113.{n + 1}", traveller)
            for n in range(30)
        ]
        owner = Client()
        wait = _wait_in(_login(owner, member.user.email, PASSWORD, REMOTE_ADDR=OWNER))
        assert waits[-1] == 60, "the delay grows as the failures from everywhere add up"
        assert wait is not None and wait <= 60
        traveller.shift(timedelta(seconds=wait))
        assert _login(owner, member.user.email, PASSWORD, REMOTE_ADDR=OWNER).status_code == 302


@pytest.mark.django_db
def test_one_address_guessing_at_many_accounts_is_slowed_down(coop):
    people = [PersonFactory(organisation=coop) for _ in range(21)]
    attacker = Client()
    for person in people[:20]:
        assert _wait_in(_login(attacker, person.user.email, "guess", REMOTE_ADDR=ATTACKER)) is None

    assert _wait_in(_login(attacker, people[20].user.email, "guess", REMOTE_ADDR=ATTACKER))
    assert _wait_in(_login(Client(), people[20].user.email, PASSWORD, REMOTE_ADDR=OWNER)) is None


@pytest.mark.django_db
def test_a_success_clears_only_that_address_and_account(member, colleague):
    attacker = Client()
    for n in range(5):
        _login(attacker, member.user.email, f"guess {n}", REMOTE_ADDR=ATTACKER)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert (
            _login(attacker, member.user.email, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302
        )
        attacker.logout()
        assert _wait_in(_login(attacker, member.user.email, "again", REMOTE_ADDR=ATTACKER)) is None
