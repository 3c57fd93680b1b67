"""Only network admins manage API tokens: the rule is accounts.permissions.can_manage_tokens,
and the services keep it whichever door (admin site, API) calls them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.models import ApiToken
from accounts.permissions import can_manage_tokens
from accounts.services import token_create, token_revoke
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_active_network_admins_manage_tokens(network_admin, member, coop_admin):
    assert can_manage_tokens(network_admin)
    assert not can_manage_tokens(member.user)
    assert not can_manage_tokens(coop_admin.user)
    assert not can_manage_tokens(AnonymousUser())
    network_admin.is_active = False
    assert not can_manage_tokens(network_admin)


def test_a_member_cannot_create_a_token_for_themselves(member):
    with pytest.raises(PermissionDenied):
        token_create(actor=member.user, user=member.user, name="Mine", scope="write")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_member_cannot_revoke_a_token(network_admin, member):
    token, _secret = token_create(actor=network_admin, user=member.user, name="CRM", scope="read")

    with pytest.raises(PermissionDenied):
        token_revoke(actor=member.user, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_network_admin_creates_and_revokes_with_both_recorded(network_admin, member):
    token, _secret = token_create(actor=network_admin, user=member.user, name="CRM", scope="read")
    token_revoke(actor=network_admin, token=token)

    token.refresh_from_db()
    assert token.created_by == network_admin
    assert token.revoked_at is not None
    assert list(
        AuditEvent.objects.filter(object_id=str(token.pk))
        .order_by("id")
        .values_list("action", "actor")
    ) == [("token.create", network_admin.pk), ("token.revoke", network_admin.pk)]


def test_the_api_revokes_through_the_service(api_client, network_admin, member):
    token, _secret = token_create(actor=network_admin, user=member.user, name="CRM", scope="read")
    api_client.force_login(network_admin)

    response = api_client.post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert AuditEvent.objects.filter(action="token.revoke", actor=network_admin).exists()
