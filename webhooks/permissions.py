"""Who may do what with webhooks, as plain functions the API, the admin and the services share."""

from __future__ import annotations

from typing import TypeGuard

from accounts.models import AnyUser, ApiToken, User
from webhooks.models import Subscription


def _active(user: AnyUser | None) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active


def is_network_admin(user: AnyUser | None) -> TypeGuard[User]:
    return _active(user) and user.is_staff


def can_subscribe(user: AnyUser | None, token: ApiToken | None) -> TypeGuard[User]:
    """A subscription belongs to the write token that makes it, for the person it acts as."""
    return (
        _active(user)
        and token is not None
        and token.user_id == user.pk
        and token.is_usable
        and token.allows_write()
    )


def can_manage(user: AnyUser | None, subscription: Subscription) -> TypeGuard[User]:
    """Delete, resume, or redeliver one of its deliveries: the token's owner, or a network
    admin (the API also keeps each token to its own subscriptions)."""
    return is_network_admin(user) or (_active(user) and subscription.token.user_id == user.pk)
