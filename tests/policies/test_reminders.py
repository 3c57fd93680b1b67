"""Reminders: members who have not answered hear once, two days before the round closes; the
owners of a policy hear once when its review date approaches. In the person's language."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from policies import services
from policies.emails import reminders_send
from policies.models import Policy, PolicyReminder
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _send(now):
    return reminders_send(reminder_ids=services.reminders_dispatch(now=now))


def test_only_members_who_have_not_answered_get_one_reminder_two_days_before_the_close(
    in_round, member, colleague, outsider
):
    round = services.open_round(in_round)
    services.consent_respond(actor=colleague.user, round=round, answer="consent")

    assert _send(round.closes_at - timedelta(days=3)) == 0
    _send(round.closes_at - timedelta(days=2))
    _send(round.closes_at - timedelta(days=1))

    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.user.email, outsider.user.email])
    assert all(in_round.title in m.subject for m in mail.outbox)


def test_passive_and_deactivated_members_get_no_round_reminder(in_round, deactivated, member):
    passive = PersonFactory(participation="passive", user__email="pat@example.coop")
    round = services.open_round(in_round)
    _send(round.closes_at - timedelta(days=1))
    recipients = {m.to[0] for m in mail.outbox}
    assert member.user.email in recipients
    assert passive.user.email not in recipients and deactivated.user.email not in recipients


def test_the_reminder_speaks_the_person_language_and_time(in_round, outsider):
    outsider.language = "es"
    outsider.timezone = "America/Argentina/Buenos_Aires"
    outsider.save(update_fields=["language", "timezone"])
    round = services.open_round(in_round)
    _send(round.closes_at - timedelta(days=1))

    body = next(m.body for m in mail.outbox if m.to[0] == outsider.user.email)
    local = round.closes_at.astimezone(ZoneInfo("America/Argentina/Buenos_Aires"))
    with translation.override("es"):
        month = formats.date_format(local, "F")
    # CLDR's Spanish writes the hour without a leading zero ("6:05"), whatever the hour now is
    assert month in body and f"{local.hour}:{local:%M}" in body
    assert "America/Argentina/Buenos_Aires" in body


def test_a_claimed_reminder_is_sent_once_even_when_sent_twice(in_round, member):
    round = services.open_round(in_round)
    ids = services.reminders_dispatch(now=round.closes_at - timedelta(days=1))
    assert reminders_send(reminder_ids=ids) >= 1
    assert reminders_send(reminder_ids=ids) == 0
    assert PolicyReminder.objects.filter(person=member, round=round).count() == 1


def test_policy_owners_get_one_reminder_when_the_review_date_approaches(policy, owner, member):
    today = timezone.localdate()
    Policy.objects.filter(pk=policy.pk).update(review_date=today + timedelta(days=30))
    assert _send(timezone.now()) == 0
    Policy.objects.filter(pk=policy.pk).update(review_date=today + timedelta(days=10))
    _send(timezone.now())
    _send(timezone.now() + timedelta(hours=1))
    assert [m.to[0] for m in mail.outbox] == [owner.user.email]
    assert policy.title in mail.outbox[0].subject


def test_a_member_who_turned_policy_reminders_off_gets_none(in_round, member, outsider):
    type(member).objects.filter(pk=member.pk).update(email_choices={"policy_reminders": "never"})
    round = services.open_round(in_round)
    _send(round.closes_at - timedelta(days=1))

    recipients = {m.to[0] for m in mail.outbox}
    assert outsider.user.email in recipients and member.user.email not in recipients
    message = next(m for m in mail.outbox if m.to[0] == outsider.user.email)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/me/emails/" in message.body
