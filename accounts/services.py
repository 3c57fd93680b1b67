from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import ApiToken, User
from audit.services import audit_record

TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 366


@transaction.atomic
def token_create(
    *,
    actor: User,
    user: User,
    name: str,
    scope: str,
    expires_in_days: int = TOKEN_DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """`actor` creates a token that acts as `user`: their own, or a bot account's for a network
    admin (`permissions.can_create_token`). It is returned with its secret, which is never
    stored nor shown again."""
    if not permissions.can_create_token(actor, user):
        raise PermissionDenied(
            _(
                "A token acts only as the person it belongs to: make your own, or, as a network "
                "admin, one for a bot account."
            )
        )
    if not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        raise ValueError(f"expires_in_days must be between 1 and {TOKEN_MAX_DAYS}")
    prefix, secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        name=name,
        user=user,
        created_by=actor,
        scope=scope,
        prefix=prefix,
        secret_hash=ApiToken.hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )
    audit_record(
        actor=actor,
        action="token.create",
        target=token,
        after={
            "user": user.email,
            "bot": user.is_bot,
            "scope": scope,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not permissions.can_revoke_token(actor, token):
        raise PermissionDenied
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        audit_record(actor=actor, action="token.revoke", target=token)
    return token


def token_touch(token: ApiToken) -> None:
    """Record use at most once a minute: one conditional UPDATE, not a write per request."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, updated_at=now)
        token.last_used_at = now


@transaction.atomic
def user_set_network_admin(*, actor: User, user: User, is_admin: bool) -> User:
    if user.is_staff == is_admin:
        return user
    before = {"is_staff": user.is_staff}
    user.is_staff = is_admin
    user.save(update_fields=["is_staff"])
    audit_record(
        actor=actor,
        action="user.network_admin",
        target=user,
        before=before,
        after={"is_staff": is_admin},
    )
    return user


def tokens_purge(*, now: datetime | None = None) -> int:
    """Delete the tokens that expired or were revoked more than `API_TOKEN_RETENTION_DAYS` ago.
    Returns how many went. Their audit events keep the token's id and prefix."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.API_TOKEN_RETENTION_DAYS)
    deleted, _by_model = ApiToken.objects.filter(
        Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    ).delete()
    return deleted
