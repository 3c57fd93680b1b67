"""A token acts only as the person it belongs to: accounts.permissions.can_create_token and
can_revoke_token, kept by the services whichever door (admin site, page, API) calls them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.models import ApiToken
from accounts.permissions import can_create_token, can_manage_tokens, can_revoke_token
from accounts.services import token_create, token_revoke
from audit.models import AuditEvent
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db


def test_only_active_network_admins_manage_every_token(network_admin, member, coop_admin, bot):
    assert can_manage_tokens(network_admin)
    assert not can_manage_tokens(member.user)
    assert not can_manage_tokens(coop_admin.user)
    assert not can_manage_tokens(AnonymousUser())
    bot.is_staff = True
    assert not can_manage_tokens(bot), "a bot acts only through its tokens, never for others"
    network_admin.is_active = False
    assert not can_manage_tokens(network_admin)


def test_who_may_make_a_token_that_acts_as_whom(network_admin, member, colleague, bot):
    assert can_create_token(member.user, member.user)
    assert not can_create_token(member.user, colleague.user)
    assert not can_create_token(member.user, bot)
    assert can_create_token(network_admin, network_admin)
    assert can_create_token(network_admin, bot)
    assert not can_create_token(network_admin, member.user)
    assert not can_create_token(bot, bot)
    assert not can_create_token(AnonymousUser(), member.user)


def test_a_member_creates_a_token_for_themselves(member):
    token, _secret = token_create(actor=member.user, user=member.user, name="Mine", scope="write")
    assert (token.user, token.created_by) == (member.user, member.user)
    assert AuditEvent.objects.filter(action="token.create", actor=member.user).exists()


def test_nobody_creates_a_token_that_acts_as_another_person(network_admin, colleague, member):
    for actor in (network_admin, colleague.user):
        with pytest.raises(PermissionDenied):
            token_create(actor=actor, user=member.user, name="as Mila", scope="write")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_member_cannot_revoke_someone_elses_token(member, colleague):
    token, _secret = token_create(actor=member.user, user=member.user, name="CRM", scope="read")
    assert not can_revoke_token(colleague.user, token)

    with pytest.raises(PermissionDenied):
        token_revoke(actor=colleague.user, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_network_admin_makes_and_revokes_a_bots_token_with_both_recorded(network_admin, bot):
    token, _secret = token_create(actor=network_admin, user=bot, name="CRM", scope="read")
    token_revoke(actor=network_admin, token=token)

    token.refresh_from_db()
    assert token.created_by == network_admin
    assert token.revoked_at is not None
    assert list(
        AuditEvent.objects.filter(object_id=str(token.pk))
        .order_by("id")
        .values_list("action", "actor")
    ) == [("token.create", network_admin.pk), ("token.revoke", network_admin.pk)]


def test_a_network_admin_revokes_a_persons_token(api_client, network_admin, member):
    token, _secret = token_create(actor=member.user, user=member.user, name="CRM", scope="read")
    api_client.force_login(network_admin)
    reauthenticated(api_client)

    response = api_client.post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert AuditEvent.objects.filter(action="token.revoke", actor=network_admin).exists()
