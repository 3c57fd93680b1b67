"""The roles that guard other people's data or money set up two-factor before anything else,
and idle sessions end, sooner for those roles."""

from __future__ import annotations

import datetime
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import token_create
from circles.models import CircleMembership
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory, UserFactory

required = override_settings(MFA_REQUIRED=True)
LONG_AGO = datetime.date(2024, 1, 15)


def _in_circle(person, slug: str, role=CircleMembership.Role.MEMBER):
    circle = CircleFactory(name=slug.title(), slug=slug)
    return CircleMembershipFactory(circle=circle, person=person, role=role, start_date=LONG_AGO)


@pytest.fixture
def holder(request, coop):
    """Someone holding one of the guarding roles."""
    match request.param:
        case None:
            return None
        case "network admin":
            return UserFactory(email="root@patio.coop", is_staff=True)
        case "coordinator":
            person = PersonFactory(organisation=coop)
            _in_circle(person, "outreach", CircleMembership.Role.COORDINATOR)
        case "finance approver":
            person = PersonFactory(organisation=coop)
            _in_circle(person, "finance")
        case "co-op admin":
            person = PersonFactory(organisation=coop, is_coop_admin=True)
    return person.user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


ROLES = ["network admin", "coordinator", "finance approver", "co-op admin"]


@required
@pytest.mark.django_db
@pytest.mark.parametrize("holder", ROLES, indirect=True)
def test_a_guarding_role_sets_up_two_factor_before_anything_else(holder):
    client = _signed_in(holder)

    for path in ["/", "/coops/", "/fund/", "/accounts/email/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_index"), path

    page = client.get(reverse("mfa_index"), follow=True)
    assert page.status_code == 200
    assert "two-factor" in page.content.decode().lower()


@required
@pytest.mark.django_db
@pytest.mark.parametrize("holder", ["coordinator"], indirect=True)
def test_the_api_says_why_when_the_session_has_no_second_factor(holder):
    response = _signed_in(holder).get("/api/v1/organisations/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/two-factor-required")


@required
@pytest.mark.django_db
@pytest.mark.parametrize("holder", ["coordinator"], indirect=True)
def test_a_partner_tool_with_a_token_is_not_asked_for_a_second_factor(holder):
    _token, secret = token_create(actor=holder, user=holder, name="tool", scope=ApiToken.Scope.READ)
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    assert client.get("/api/v1/organisations/").status_code == 200


@required
@pytest.mark.django_db
@pytest.mark.parametrize("holder", ["coordinator"], indirect=True)
def test_with_an_authenticator_the_role_goes_about_its_work(holder):
    TOTP.activate(holder, generate_totp_secret())

    assert _signed_in(holder).get("/").status_code == 200


@required
@pytest.mark.django_db
def test_plain_members_are_not_asked(member):
    assert _signed_in(member.user).get("/").status_code == 200


@required
@pytest.mark.django_db
def test_losing_the_role_lifts_the_requirement(coop):
    person = PersonFactory(organisation=coop)
    membership = _in_circle(person, "outreach", CircleMembership.Role.COORDINATOR)
    client = _signed_in(person.user)
    assert client.get("/").status_code == 302

    CircleMembership.objects.filter(pk=membership.pk).update(end_date=LONG_AGO + timedelta(days=30))

    assert client.get("/").status_code == 200


@required
@pytest.mark.django_db
@pytest.mark.parametrize("holder", ["coordinator"], indirect=True)
def test_passkeys_are_offered_besides_an_authenticator_app(holder):
    page = _signed_in(holder).get(reverse("mfa_index")).content.decode()

    assert reverse("mfa_add_webauthn") in page
    assert reverse("mfa_activate_totp") in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("holder", "idle", "signed_in"),
    [
        ("coordinator", timedelta(hours=1, minutes=50), True),
        ("coordinator", timedelta(hours=2, minutes=10), False),
        (None, timedelta(days=13), True),
        (None, timedelta(days=15), False),
    ],
    indirect=["holder"],
)
def test_an_idle_session_ends_sooner_for_a_guarding_role(holder, member, idle, signed_in):
    user = holder or member.user
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in(user)
        assert client.get("/accounts/email/").status_code == 200
        traveller.shift(idle)

        response = client.get("/accounts/email/?page=2")

    if signed_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        where = urlsplit(response["Location"])
        assert where.path == "/accounts/login/"
        assert parse_qs(where.query)["next"] == ["/accounts/email/?page=2"]
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_activity_keeps_a_session_alive(member):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in(member.user)
        for _ in range(3):
            traveller.shift(timedelta(days=10))
            assert client.get("/people/").status_code == 200


@override_settings(DEBUG=True, MFA_REQUIRED=False)
@pytest.mark.django_db
@pytest.mark.parametrize("holder", ["coordinator"], indirect=True)
def test_the_demo_tells_a_guarding_role_that_two_factor_would_be_required(holder, member):
    notice = "would have to set up two-factor authentication"

    assert notice in _signed_in(holder).get("/").content.decode()
    assert notice not in _signed_in(member.user).get("/").content.decode()
    assert notice not in _signed_in(holder).get(reverse("mfa_index")).content.decode()
    TOTP.activate(holder, generate_totp_secret())
    assert notice not in _signed_in(holder).get("/").content.decode()
