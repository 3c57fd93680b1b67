"""API tokens from creation to revocation: what a person, a network admin and a partner tool
go through."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from accounts.api_auth import TokenRateThrottle
from accounts.models import ApiToken
from accounts.services import token_create
from audit.models import AuditEvent
from tests.matrix import reauthenticated

SECRET = re.compile(r"patio_[0-9a-f]{10}_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def admin_api(network_admin):
    client = APIClient()
    client.force_login(network_admin)
    reauthenticated(client)
    return client


@pytest.fixture
def member_api(member):
    client = APIClient()
    client.force_login(member.user)
    reauthenticated(client)
    return client


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def read_token(member):
    return token_create(actor=member.user, user=member.user, name="CRM", scope="read")


def assert_refused(response, detail_contains: str = ""):
    assert response.status_code == 401, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert body["status"] == 401
    assert detail_contains.lower() in body["detail"].lower()


# Creating and listing -----------------------------------------------------------------------------
def test_a_person_creates_their_own_token_and_sees_the_secret_once(member_api, member):
    response = member_api.post(
        "/api/v1/tokens/",
        {"name": "Partner CRM", "scope": "write", "expires_in_days": 30},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["token"]
    assert SECRET.fullmatch(secret)
    assert body["user"] == member.user.email and body["scope"] == "write"
    assert body["user_is_bot"] is False
    assert body["prefix"] == secret.split("_")[1]

    token = ApiToken.objects.get(pk=body["id"])
    assert token.secret_hash == ApiToken.hash_secret(secret)
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert secret not in stored and secret.split("_", 2)[2] not in stored
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)

    for url in ("/api/v1/tokens/", f"/api/v1/tokens/{token.pk}/"):
        listed = member_api.get(url)
        assert listed.status_code == 200
        assert secret not in listed.content.decode()
        assert "token" not in (
            listed.json()["results"][0] if "results" in listed.json() else listed.json()
        )


def test_token_creation_is_audited(member_api, member):
    response = member_api.post(
        "/api/v1/tokens/", {"name": "CRM", "user": member.user.email}, format="json"
    )
    event = AuditEvent.objects.get(action="token.create")
    assert event.actor == member.user
    assert event.object_id == str(response.json()["id"])
    assert event.after["user"] == member.user.email and event.after["scope"] == "read"
    assert response.json()["token"] not in str(event.after)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "CRM", "user": "nobody@example.coop"}, "user"),
        ({"name": "CRM", "user": "dora@camplight.coop"}, "user"),  # deactivated
        ({"name": "CRM", "user": "mila@camplight.coop", "scope": "admin"}, "scope"),
        ({"name": "CRM", "user": "mila@camplight.coop", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "CRM", "user": "mila@camplight.coop", "expires_in_days": 400}, "expires_in_days"),
        ({"name": "CRM", "user": "mila@camplight.coop", "prefix": "abc"}, "prefix"),
        ({"user": "mila@camplight.coop"}, "name"),
    ],
)
def test_bad_token_request_creates_nothing(member_api, member, deactivated, payload, field):
    response = member_api.post("/api/v1/tokens/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="token.create").exists()


# Using a token -------------------------------------------------------------------------------------
def test_token_acts_as_its_user_and_records_last_use(read_token, member, colleague):
    token, secret = read_token
    assert token.last_used_at is None
    response = bearer(secret).get(f"/api/v1/people/{colleague.pk}/")
    assert response.status_code == 200
    # Members-only fields show: the caller is the member, not a visitor.
    assert response.json()["contact_email"] == colleague.contact_email
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_last_use_is_written_at_most_once_a_minute(read_token):
    token, secret = read_token
    client = bearer(secret)
    client.get("/api/v1/skills/")
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/skills/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=5))
    client.get("/api/v1/skills/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use


def test_expired_token_is_refused(read_token, colleague):
    token, secret = read_token
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused(bearer(secret).get("/api/v1/people/"), "expired")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_revoked_token_is_refused(member_api, read_token, member):
    token, secret = read_token
    assert bearer(secret).get("/api/v1/people/").status_code == 200

    response = member_api.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["revoked_at"] and response.json()["is_usable"] is False
    assert "token" not in response.json()

    assert_refused(bearer(secret).get("/api/v1/people/"), "revoked")
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor, event.object_id) == (member.user, str(token.pk))


def test_revoking_twice_keeps_the_first_time_and_audits_once(admin_api, read_token):
    token, _secret = read_token
    first = admin_api.post(f"/api/v1/tokens/{token.pk}/revoke/").json()["revoked_at"]
    second = admin_api.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert second.status_code == 200 and second.json()["revoked_at"] == first
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_nobody_else_revokes_a_persons_token_but_a_network_admin(read_token, colleague):
    token, secret = read_token
    client = APIClient()
    client.force_login(colleague.user)
    reauthenticated(client)
    # Another person's token is not theirs to see, so it is not there.
    assert client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404
    # A read token may not write, not even to revoke itself.
    assert bearer(secret).post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="token.revoke").exists()


def test_token_of_a_deactivated_user_is_refused(read_token, member):
    _token, secret = read_token
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert_refused(bearer(secret).get("/api/v1/people/"), "deactivated")


def test_wrong_secret_with_a_right_prefix_is_refused(read_token):
    token, secret = read_token
    forged = f"patio_{token.prefix}_{'A' * len(secret.split('_', 2)[2])}"
    assert forged != secret
    assert_refused(bearer(forged).get("/api/v1/people/"), "invalid")
    assert_refused(bearer(secret[:-1]).get("/api/v1/people/"), "invalid")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer two words",
        "Bearer not-a-patio-token",
        "Bearer patio_",
        "Bearer patio_nothing",
        "Bearer other_0123456789_secret",
        "Bearer patio_0123456789_ünïcode",
        "bearer patio_0123456789_lowercase-keyword-is-still-checked",
    ],
)
def test_malformed_bearer_header_is_refused(db, api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert_refused(api_client.get("/api/v1/people/"))


def test_other_authorization_schemes_are_not_tokens(db, api_client, member):
    """A Basic header is not ours to judge: the caller is simply anonymous."""
    api_client.credentials(HTTP_AUTHORIZATION="Basic bWlsYTpwYXNzd29yZA==")
    assert api_client.get("/api/v1/organisations/").status_code == 200
    response = api_client.patch(f"/api/v1/people/{member.pk}/", {"bio": "x"}, format="json")
    assert_refused(response)


def test_a_network_admins_tokens_may_list_but_not_create_tokens(network_admin, bot):
    _token, secret = token_create(actor=network_admin, user=network_admin, name="ops", scope="read")
    client = bearer(secret)
    assert client.get("/api/v1/tokens/").status_code == 200
    response = client.post("/api/v1/tokens/", {"name": "more", "user": bot.email}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1

    _token, write_secret = token_create(
        actor=network_admin, user=network_admin, name="ops-write", scope="write"
    )
    response = bearer(write_secret).post(
        "/api/v1/tokens/", {"name": "more", "user": bot.email}, format="json"
    )
    assert response.status_code == 403, "nor a write token: tokens are made in a session"
    assert ApiToken.objects.count() == 2


# Throttling --------------------------------------------------------------------------------------
def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 429 and body["title"]
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert body["retry_after"] == retry_after


def test_token_over_its_rate_gets_429_and_other_tokens_do_not(monkeypatch, read_token, member):
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/minute", raising=False)
    _token, secret = read_token
    client = bearer(secret)
    for _ in range(3):
        assert client.get("/api/v1/skills/").status_code == 200
    assert_throttled(client.get("/api/v1/skills/"))

    _other, other_secret = token_create(
        actor=member.user, user=member.user, name="other tool", scope="read"
    )
    assert bearer(other_secret).get("/api/v1/skills/").status_code == 200
    # The budget is the token's, not the address's: visitors from the same IP still pass.
    assert APIClient().get("/api/v1/skills/").status_code == 200


def test_anonymous_caller_over_the_rate_gets_429(monkeypatch, db):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    visitor = APIClient(REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        assert visitor.get("/api/v1/organisations/").status_code == 200
    assert_throttled(visitor.get("/api/v1/organisations/"))
    # Another address has its own budget.
    assert APIClient(REMOTE_ADDR="203.0.113.8").get("/api/v1/organisations/").status_code == 200


# The admin page -----------------------------------------------------------------------------------
ADD_URL = "/admin/accounts/apitoken/add/"


def test_network_admin_adds_a_bots_token_in_the_admin_and_sees_the_secret_once(
    client, network_admin, bot
):
    client.force_login(network_admin)
    reauthenticated(client)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(
        ADD_URL, {"name": "Newsletter tool", "user": bot.pk, "scope": "read"}, follow=True
    )
    assert response.status_code == 200
    secrets = set(SECRET.findall(response.content.decode()))
    assert len(secrets) == 1, "the secret should be shown in the page's messages"
    secret = secrets.pop()

    token = ApiToken.objects.get(name="Newsletter tool")
    assert (token.user, token.scope, token.created_by) == (bot, "read", network_admin)
    assert token.secret_hash == ApiToken.hash_secret(secret)
    assert AuditEvent.objects.filter(action="token.create", object_id=str(token.pk)).exists()
    assert bearer(secret).get("/api/v1/people/").status_code == 200

    again = client.get("/admin/accounts/apitoken/")
    assert again.status_code == 200
    assert secret not in again.content.decode()


def test_the_admin_offers_no_person_but_the_admin_and_bots_to_make_a_token_for(
    client, network_admin, member, bot
):
    client.force_login(network_admin)
    reauthenticated(client)
    response = client.post(ADD_URL, {"name": "as mila", "user": member.user.pk, "scope": "write"})
    assert response.status_code == 200  # the form again: Mila is not a choice
    assert "user" in response.context["adminform"].form.errors
    assert not ApiToken.objects.exists()
    choices = {str(c[0]) for c in response.context["adminform"].form.fields["user"].choices}
    assert choices == {"", str(network_admin.pk), str(bot.pk)}


def test_admin_revoke_action_revokes(client, network_admin, read_token):
    token, secret = read_token
    client.force_login(network_admin)
    reauthenticated(client)
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert_refused(bearer(secret).get("/api/v1/people/"), "revoked")
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


@pytest.mark.parametrize("who", ["member", "coop_admin"])
def test_people_who_are_not_staff_cannot_reach_the_token_admin(request, client, who):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    reauthenticated(client)
    for url in (ADD_URL, "/admin/accounts/apitoken/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(ADD_URL, {"name": "sneaky", "user": person.user.pk, "scope": "write"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
