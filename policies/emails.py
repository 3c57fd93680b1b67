"""Reminder emails, in the person's language and timezone; each sent at most once."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import event_message, message_id
from policies.models import PolicyReminder

POLICY_REMINDERS = "policy_reminders"  # the kind of email (patio.emails)

# Rows are claimed by the dispatch (queued_at), taken just before the send (attempted_at) and
# settled once the email is out, or skipped (sent_at).
REMINDERS = Outbox(PolicyReminder, taken="attempted_at", settled="sent_at", queued="queued_at")


def reminder_message(reminder: PolicyReminder) -> EmailMessage:
    person = reminder.person
    zone = person.timezone or "UTC"
    with translation.override(person.language), timezone.override(ZoneInfo(zone)):
        amendment = reminder.round.amendment if reminder.round is not None else None
        target = amendment or reminder.policy
        if target is None:
            raise ValueError(f"policy reminder {reminder.pk} names neither a round nor a policy")
        context = {
            "name": person.display_name,
            "reminder": reminder,
            "round": reminder.round,
            "policy": reminder.policy,
            "amendment": amendment,
            "link": settings.SITE_URL + target.get_absolute_url(),
            "zone": zone,
        }
        subject = render_to_string("policies/email/reminder_subject.txt", context).strip()
        body = render_to_string("policies/email/reminder_body.txt", context)
    return event_message(
        kind=POLICY_REMINDERS,
        person_id=person.pk,
        to=person.email_address,
        subject=subject,
        body=body,
        language=person.language,
        message_id=message_id(reminder),
    )


def _send(reminder: PolicyReminder) -> int:
    person, round = reminder.person, reminder.round
    if person.user is None or not person.user.is_active:
        return 0
    if not person.wants_email(POLICY_REMINDERS):
        return 0
    if round is not None and (
        round.closed_at is not None or round.responses.filter(person=person).exists()
    ):
        return 0
    reminder_message(reminder).send()
    return 1


def reminders_send(*, reminder_ids: list[int]) -> int:
    """Send the claimed reminders nobody started yet, each at most once (patio.delivery); skip
    those that no longer apply (the round closed, the person answered or left). Returns how many
    went out."""
    return deliver(
        REMINDERS,
        ids=reminder_ids,
        send=_send,
        rows=PolicyReminder.objects.select_related("person__user", "round__amendment", "policy"),
    )


delivery.register(
    delivery.Sender(
        key="policies.reminders",
        outbox=REMINDERS,
        send_ids=lambda ids: reminders_send(reminder_ids=ids),
        due="queued_at",
    )
)
