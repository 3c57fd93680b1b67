"""Audit events made through an API token name the token as well as its user."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.services import token_create
from audit.context import token_in_use
from audit.models import AuditEvent
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _change_hours(secret: str, person) -> None:
    """An audited write a partner tool makes with its token (tokens never make tokens)."""
    response = _bearer(secret).patch(
        f"/api/v1/people/{person.pk}/", {"hours_per_week": person.hours_per_week + 1}, format="json"
    )
    assert response.status_code == 200, response.content


def test_an_audit_event_made_with_a_token_records_the_token(member):
    token, secret = token_create(actor=member.user, user=member.user, name="tool", scope="write")

    _change_hours(secret, member)

    event = AuditEvent.objects.get(action="person.role", object_id=str(member.pk))
    assert event.actor == member.user
    assert (event.token_id, event.token_prefix) == (token.pk, token.prefix)


def test_an_event_made_in_a_browser_session_records_no_token(member):
    client = APIClient()
    client.force_login(member.user)
    reauthenticated(client)
    response = client.post("/api/v1/tokens/", {"name": "mine"}, format="json")
    event = AuditEvent.objects.get(object_id=str(response.json()["id"]))
    assert (event.token_id, event.token_prefix) == (None, "")


def test_the_token_does_not_outlive_its_request(member, colleague):
    _token, secret = token_create(actor=member.user, user=member.user, name="tool", scope="write")
    assert _bearer(secret).get("/api/v1/tokens/").status_code == 200
    assert token_in_use() is None

    # What the same thread writes next (here, a service called directly) names no token.
    token_create(actor=colleague.user, user=colleague.user, name="later", scope="read")
    assert AuditEvent.objects.get(actor=colleague.user).token_id is None


def test_the_audit_admin_shows_the_token(client, member, network_admin):
    token, secret = token_create(actor=member.user, user=member.user, name="tool", scope="write")
    _change_hours(secret, member)
    client.force_login(network_admin)
    reauthenticated(client)
    network_admin.is_superuser = True
    network_admin.save(update_fields=["is_superuser"])

    response = client.get("/admin/audit/auditevent/")

    assert response.status_code == 200
    assert f"{token.prefix}… (#{token.pk})" in response.content.decode()
