"""Reminder emails, in the person's language and timezone; each sent at most once."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from patio.emails import event_message
from policies.models import PolicyReminder

POLICY_REMINDERS = "policy_reminders"  # the kind of email (patio.emails)


def _take(pk: int) -> bool:
    """Claim the sending of one row: a conditional UPDATE, so a second delivery sends nothing."""
    return bool(
        PolicyReminder.objects.filter(pk=pk, attempted_at__isnull=True).update(
            attempted_at=timezone.now()
        )
    )


def reminder_message(reminder: PolicyReminder) -> EmailMessage:
    person = reminder.person
    zone = person.timezone or "UTC"
    with translation.override(person.language), timezone.override(ZoneInfo(zone)):
        target = reminder.round.amendment if reminder.round_id else reminder.policy
        context = {
            "name": person.display_name,
            "reminder": reminder,
            "round": reminder.round,
            "policy": reminder.policy,
            "amendment": reminder.round.amendment if reminder.round_id else None,
            "link": settings.SITE_URL + target.get_absolute_url(),
            "zone": zone,
        }
        subject = render_to_string("policies/email/reminder_subject.txt", context).strip()
        body = render_to_string("policies/email/reminder_body.txt", context)
    return event_message(
        kind=POLICY_REMINDERS,
        person_id=person.pk,
        to=person.user.email,
        subject=subject,
        body=body,
        language=person.language,
    )


def reminders_send(*, reminder_ids: list[int]) -> int:
    """Send the claimed reminders nobody started yet; skip those that no longer apply (the round
    closed, the person answered or left). Returns how many went out."""
    reminders = (
        PolicyReminder.objects.filter(pk__in=reminder_ids, attempted_at__isnull=True)
        .select_related("person__user", "round__amendment", "policy")
        .order_by("pk")
    )
    sent = 0
    for reminder in reminders:
        if not _take(reminder.pk):
            continue
        round = reminder.round
        if not reminder.person.user_id or not reminder.person.user.is_active:
            continue
        if not reminder.person.wants_email(POLICY_REMINDERS):
            continue
        if round is not None and (
            round.closed_at is not None or round.responses.filter(person=reminder.person).exists()
        ):
            continue
        try:
            reminder_message(reminder).send()
        except Exception:
            PolicyReminder.objects.filter(pk=reminder.pk).update(attempted_at=None)
            raise
        PolicyReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
