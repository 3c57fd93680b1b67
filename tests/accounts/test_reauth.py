"""Making or revoking an API token, and making someone a co-op admin, ask for the password
again unless it was given in the last ten minutes (accounts.reauth, allauth's
re-authentication). allauth then carries out the suspended form. Through the API, a session
must have re-authenticated just as recently, and a token never makes or revokes tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.services import token_create
from members.models import Person
from tests.api_helpers import assert_problem

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
TOKENS = "/accounts/tokens/"
REAUTH = "/accounts/reauthenticate/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _asked_to_reauthenticate(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(REAUTH)


def test_making_a_token_asks_for_the_password_and_then_makes_it(member):
    client = _signed_in(member.user)
    assert client.get(TOKENS).status_code == 200  # the form shows without asking

    response = client.post(
        TOKENS, {"name": "CRM", "scope": "read", "expires_in_days": 30, "user": member.user.pk}
    )

    assert _asked_to_reauthenticate(response)
    assert not ApiToken.objects.exists()

    wrong = client.post(response["Location"], {"password": "not it"})
    assert wrong.status_code == 200 and not ApiToken.objects.exists()

    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 201
    assert ApiToken.objects.get().user == member.user
    assert done.context["secret"] in done.content.decode()


def test_revoking_a_token_asks_for_the_password(member):
    token, _secret = token_create(actor=member.user, user=member.user, name="CRM", scope="read")
    client = _signed_in(member.user)

    response = client.post(f"{TOKENS}{token.pk}/revoke/")

    assert _asked_to_reauthenticate(response)
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(response["Location"], {"password": PASSWORD})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_signed_out_visitor_is_sent_to_the_login_page(member):
    response = Client().post(TOKENS, {"name": "CRM"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_recent_password_is_enough_for_ten_minutes(member):
    client = Client()
    client.post("/accounts/login/", {"login": member.user.email, "password": PASSWORD})
    client.post(REAUTH, {"password": PASSWORD})

    response = client.post(
        TOKENS, {"name": "CRM", "scope": "read", "expires_in_days": 30, "user": member.user.pk}
    )
    assert response.status_code == 201


def test_making_someone_coop_admin_asks_for_the_password(coop_admin, member):
    client = _signed_in(coop_admin.user)
    url = f"/people/{member.pk}/coop-admin/"

    response = client.post(url, {"is_admin": "1"})

    assert _asked_to_reauthenticate(response)
    assert Person.objects.get(pk=member.pk).is_coop_admin is False
    client.post(response["Location"], {"password": PASSWORD})
    assert Person.objects.get(pk=member.pk).is_coop_admin is True


def test_a_write_token_cannot_make_more_tokens(member):
    _token, secret = token_create(actor=member.user, user=member.user, name="t", scope="write")
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    response = client.post("/api/v1/tokens/", {"name": "more"}, content_type="application/json")

    body = assert_problem(response, 403)
    assert body["type"] == "https://patio.coop/problems/session-required"
    assert ApiToken.objects.count() == 1


def test_a_write_token_cannot_revoke_a_token(member):
    other, _secret = token_create(actor=member.user, user=member.user, name="CRM", scope="read")
    _token, secret = token_create(actor=member.user, user=member.user, name="t", scope="write")
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    response = client.post(f"/api/v1/tokens/{other.pk}/revoke/")

    assert assert_problem(response, 403)["type"].endswith("/session-required")
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_session_makes_a_token_through_the_api_only_just_after_giving_its_password(member):
    client = Client()
    client.force_login(member.user)

    stale = client.post("/api/v1/tokens/", {"name": "CRM"}, content_type="application/json")
    assert assert_problem(stale, 403)["type"].endswith("/reauthentication-required")
    assert not ApiToken.objects.exists()

    client.post(REAUTH, {"password": PASSWORD})
    fresh = client.post("/api/v1/tokens/", {"name": "CRM"}, content_type="application/json")
    assert fresh.status_code == 201, fresh.content
    assert ApiToken.objects.get().user == member.user
