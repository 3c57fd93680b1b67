"""Reads the assembly pages share: whose personal feed a secret opens, the working feed token,
and which circles a person may still post an update for."""

from __future__ import annotations

import pytest

from assemblies import selectors, services
from assemblies.models import Assembly

pytestmark = pytest.mark.django_db


def test_a_feed_secret_opens_its_persons_feed(member):
    secret = services.calendar_token_create(actor=member.user)

    assert selectors.calendar_feed_owner(secret) == member
    assert selectors.calendar_token_active(member) is not None


def test_a_new_feed_secret_closes_the_old_one(member):
    old = services.calendar_token_create(actor=member.user)
    new = services.calendar_token_create(actor=member.user)

    assert selectors.calendar_feed_owner(old) is None
    assert selectors.calendar_feed_owner(new) == member


def test_a_revoked_feed_secret_opens_nothing(member):
    secret = services.calendar_token_create(actor=member.user)
    services.calendar_token_revoke(actor=member.user)

    assert selectors.calendar_feed_owner(secret) is None
    assert selectors.calendar_token_active(member) is None


def test_a_feed_stops_with_its_persons_account(member):
    secret = services.calendar_token_create(actor=member.user)
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])

    assert selectors.calendar_feed_owner(secret) is None


def test_a_guessed_secret_opens_nothing(db):
    assert selectors.calendar_feed_owner("not-a-secret") is None


@pytest.mark.parametrize(
    ("status", "may_update"),
    [
        (Assembly.Status.PLANNED, True),
        (Assembly.Status.OPEN, True),
        (Assembly.Status.CLOSED, False),
        (Assembly.Status.CANCELLED, False),
    ],
)
def test_a_coordinator_posts_updates_until_the_assembly_is_over(
    coordinator, circle, assembly, status, may_update
):
    Assembly.objects.filter(pk=assembly.pk).update(status=status)
    assembly.refresh_from_db()

    circles = list(selectors.circles_user_may_update(coordinator.user, assembly))

    assert circles == ([circle] if may_update else [])
