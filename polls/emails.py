"""The poll reminder: once, only to those who haven't voted, in their language and zone.

Beat claims a poll's reminder round (`services.reminders_due`, a conditional UPDATE), writes
one `PollReminder` row per person not yet voted (unique per poll and person) and sends each row
claimed through `patio.delivery`, so a retried or doubled task reminds nobody twice."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from patio import delivery, emails
from patio.delivery import Outbox, deliver
from polls.models import Ballot, Poll, PollReminder
from polls.selectors import non_voters, voter_key

REMINDER_EMAILS = "poll_reminders"
REMINDERS = Outbox(PollReminder, taken="taken_at", settled="sent_at")


def register_kinds() -> None:
    emails.register_kind(
        REMINDER_EMAILS,
        label=_("Polls I haven't voted in"),
        description=_("One reminder before a poll you may vote in closes."),
        order=60,
    )


def _send(reminder: PollReminder) -> int:
    poll, person = reminder.poll, reminder.person
    if poll.is_closed() or not person.email_address or not person.wants_email(REMINDER_EMAILS):
        return 0
    if Ballot.objects.filter(poll=poll, voter_key=voter_key(poll.pk, person.pk)).exists():
        return 0  # voted since the round began
    zone = zoneinfo.ZoneInfo(person.timezone or "UTC")
    context = {
        "poll": poll,
        "person": person,
        "link": settings.SITE_URL + poll.get_absolute_url(),
    }
    with translation.override(person.language), timezone.override(zone):
        subject = " ".join(render_to_string("polls/email/reminder_subject.txt", context).split())
        body = render_to_string("polls/email/reminder_body.txt", context)
    emails.event_message(
        kind=REMINDER_EMAILS,
        person_id=person.pk,
        to=person.email_address,
        subject=subject,
        body=body,
        language=person.language,
        message_id=emails.message_id(reminder),
    ).send()
    return 1


def _rows():
    return PollReminder.objects.select_related("poll", "person__user")


def reminders_send(*, poll_id: int) -> int:
    """Write the round's rows for those who haven't voted and send each once."""
    poll = Poll.objects.get(pk=poll_id)
    PollReminder.objects.bulk_create(
        [PollReminder(poll=poll, person=p) for p in non_voters(poll)], ignore_conflicts=True
    )
    ids = PollReminder.objects.filter(poll=poll).values_list("pk", flat=True)
    return deliver(REMINDERS, ids=list(ids), send=_send, rows=_rows())


delivery.register(
    delivery.Sender(
        key="polls.reminders",
        outbox=REMINDERS,
        send_ids=lambda ids: deliver(REMINDERS, ids=ids, send=_send, rows=_rows()),
        due="created_at",
    )
)
