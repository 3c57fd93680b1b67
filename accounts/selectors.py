"""Reads of accounts that the pages, the API and the admin share."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import ApiToken, User
from accounts.permissions import can_manage_tokens


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    """A person sees their own tokens; a network admin sees every token (whose each acts as)."""
    tokens = ApiToken.objects.select_related("user", "created_by").order_by("-id")
    if can_manage_tokens(user):
        return tokens
    if not (user and user.is_authenticated):
        return tokens.none()
    return tokens.filter(user_id=user.pk)


def token_owners_for(actor: Any) -> QuerySet[User]:
    """The accounts `actor` may make a token for: themselves, and bots for a network admin."""
    if not (actor and actor.is_authenticated and actor.is_active):
        return User.objects.none()
    mine = Q(pk=actor.pk)
    if can_manage_tokens(actor):
        mine |= Q(is_bot=True)
    return User.objects.filter(mine, is_active=True).order_by("-is_bot", "email")


def tokens_page(actor: Any) -> QuerySet[ApiToken]:
    """The tokens on a person's token page: their own, and the bots' for a network admin."""
    tokens = ApiToken.objects.select_related("user", "created_by").order_by("-id")
    if not (actor and actor.is_authenticated):
        return tokens.none()
    mine = Q(user_id=actor.pk)
    if can_manage_tokens(actor):
        mine |= Q(user__is_bot=True)
    return tokens.filter(mine)
