"""Reads of subscriptions and deliveries, scoped to who asks."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import AnyUser, ApiToken
from webhooks.models import Attempt, Delivery, Subscription
from webhooks.permissions import is_network_admin

# How many deliveries "recent deliveries" shows, newest first.
RECENT = 50


def subscriptions_for(user: AnyUser | None, token: ApiToken | None) -> QuerySet[Subscription]:
    """A token sees its own subscriptions only; a signed-in person those of all their tokens;
    a network admin every one; a visitor none."""
    rows = Subscription.objects.select_related("token")
    if token is not None:
        return rows.filter(token=token)
    if is_network_admin(user):
        return rows
    if user is not None and user.is_authenticated:
        return rows.filter(token__user=user)
    return rows.none()


def deliveries_for(user: AnyUser | None, token: ApiToken | None) -> QuerySet[Delivery]:
    """The deliveries of the subscriptions the caller sees, with their event and attempts."""
    return (
        Delivery.objects.filter(subscription__in=subscriptions_for(user, token).values("pk"))
        .select_related("event")
        .prefetch_related(Prefetch("attempts", queryset=Attempt.objects.order_by("at", "id")))
    )


def recent_deliveries(
    user: AnyUser | None, token: ApiToken | None, subscription: Subscription
) -> QuerySet[Delivery]:
    return deliveries_for(user, token).filter(subscription=subscription).order_by("-id")[:RECENT]
