"""Who may do what with API tokens. The admin site, the pages, the API and the services ask this.

A token acts as the account it belongs to, so only that account's owner makes one for
themselves. The one exception is a bot account (`User.is_bot`), which nobody signs in to: a
network admin makes its tokens. Nobody, not even a network admin, makes a token that acts as
another person: that would let one person act as two (two of the "N of M" approvers, say)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from accounts.models import ApiToken, User


def _signed_in_person(user: Any) -> TypeGuard[User]:
    return bool(
        user and user.is_authenticated and user.is_active and not getattr(user, "is_bot", False)
    )


def can_manage_tokens(user: Any) -> TypeGuard[User]:
    """Network admins (active staff) see and revoke every API token, and make bots' tokens."""
    return _signed_in_person(user) and user.is_staff


def can_create_token(actor: Any, owner: User) -> TypeGuard[User]:
    """`actor` may make a token that acts as `owner`: their own, or a bot's for a network admin."""
    if not _signed_in_person(actor) or not owner.is_active:
        return False
    if owner.pk == actor.pk:
        return True
    return owner.is_bot and can_manage_tokens(actor)


def can_revoke_token(actor: Any, token: ApiToken) -> TypeGuard[User]:
    """The token's owner, or a network admin (revoking only ever takes power away)."""
    if not _signed_in_person(actor):
        return False
    return token.user_id == actor.pk or can_manage_tokens(actor)
