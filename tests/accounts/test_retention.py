"""Retention: used, revoked or expired invitations, and expired or revoked API tokens, are
deleted by a daily task once their retention period has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import token_create, token_revoke
from accounts.tasks import purge_api_tokens
from audit.models import AuditEvent
from members.models import Invitation
from members.tasks import purge_invitations
from tests.factories import InvitationFactory
from tests.worker_fixtures import wait_until

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=31)
LATELY = timezone.now() - timedelta(days=29)


def test_invitations_past_their_use_and_the_grace_period_are_purged(coop, member):
    kept = {
        "pending": InvitationFactory(organisation=coop),
        "expired lately": InvitationFactory(organisation=coop, expires_at=LATELY),
        "accepted lately": InvitationFactory(organisation=coop, accepted_at=LATELY),
        "revoked lately": InvitationFactory(organisation=coop, revoked_at=LATELY),
    }
    InvitationFactory(organisation=coop, expires_at=LONG_AGO)
    InvitationFactory(organisation=coop, accepted_at=LONG_AGO, accepted_by=member.user)
    InvitationFactory(organisation=coop, revoked_at=LONG_AGO)

    assert purge_invitations() == 3

    assert set(Invitation.objects.values_list("pk", flat=True)) == {i.pk for i in kept.values()}
    assert purge_invitations() == 0  # a second run changes nothing


def test_tokens_expired_or_revoked_past_the_retention_period_are_purged(member):
    def make(name: str) -> ApiToken:
        return token_create(actor=member.user, user=member.user, name=name, scope="read")[0]

    make("usable")
    expired_lately, revoked_lately = make("exp-lately"), make("rev-lately")
    expired_long_ago, revoked_long_ago = make("exp-long-ago"), make("rev-long-ago")
    ApiToken.objects.filter(pk=expired_lately.pk).update(expires_at=LATELY)
    ApiToken.objects.filter(pk=expired_long_ago.pk).update(expires_at=LONG_AGO)
    token_revoke(actor=member.user, token=revoked_lately)
    ApiToken.objects.filter(pk=revoked_lately.pk).update(revoked_at=LATELY)
    token_revoke(actor=member.user, token=revoked_long_ago)
    ApiToken.objects.filter(pk=revoked_long_ago.pk).update(revoked_at=LONG_AGO)

    assert purge_api_tokens() == 2

    assert set(ApiToken.objects.values_list("name", flat=True)) == {
        "usable",
        "exp-lately",
        "rev-lately",
    }
    # The audit log still says what the purged tokens did.
    assert AuditEvent.objects.filter(object_id=str(revoked_long_ago.pk)).count() == 2


def test_the_periods_are_settings(settings, member):
    token = token_create(actor=member.user, user=member.user, name="t", scope="read")[0]
    ApiToken.objects.filter(pk=token.pk).update(expires_at=LATELY)
    settings.API_TOKEN_RETENTION_DAYS = 7
    assert purge_api_tokens() == 1


def test_both_purges_run_daily_from_beat():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    for task in ("members.tasks.purge_invitations", "accounts.tasks.purge_api_tokens"):
        crontab = schedule[task]
        assert crontab.day_of_week == set(range(7)) and len(crontab.hour) == 1
        assert len(crontab.minute) == 1


def test_the_purge_runs_on_a_real_worker(celery_worker, coop):
    InvitationFactory(organisation=coop, expires_at=LONG_AGO)
    purge_invitations.delay()
    wait_until(lambda: not Invitation.objects.exists())
