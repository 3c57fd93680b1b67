"""Pledge reminders to a co-op's admins: one email per admin for each reminder row, the row
claimed before sending (patio.delivery). And the notice to a contribution's recorder that a
finance approver declined it, once per contribution."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from fund.models import Contribution, PledgeReminder
from members.models import Person
from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import event_message, message_id, plain_message

PLEDGE_REMINDERS = "pledge_reminders"  # the kind of email (patio.emails)

REMINDERS = Outbox(PledgeReminder, taken="taken_at", settled="sent_at")
DECLINE_NOTICES = Outbox(
    Contribution, taken="decline_notice_taken_at", settled="decline_notice_sent_at"
)


def _send(reminder: PledgeReminder) -> int:
    pledge = reminder.pledge
    admins = Person.objects.filter(
        organisation=pledge.organisation, is_coop_admin=True, user__is_active=True
    ).select_related("user")
    sent = 0
    for admin in admins:
        if not admin.wants_email(PLEDGE_REMINDERS):
            continue
        with translation.override(admin.language):
            context = {
                "reminder": reminder,
                "pledge": pledge,
                "person": admin,
                "link": settings.SITE_URL + reverse("fund:contribution_new"),
            }
            subject = render_to_string("fund/email/pledge_reminder_subject.txt", context)
            body = render_to_string("fund/email/pledge_reminder_body.txt", context)
        event_message(
            kind=PLEDGE_REMINDERS,
            person_id=admin.pk,
            to=admin.email_address,
            subject=subject,
            body=body,
            language=admin.language,
            message_id=message_id(reminder, "to", admin.pk),
        ).send()
        sent += 1
    return sent


def pledge_reminder_send(*, reminder_id: int) -> int:
    """Email the co-op's admins about a due or overdue pledge payment. Returns how many emails
    went out (0 when the reminder was already sent or the pledge ended).

    The row is claimed before sending, so a second delivery of the task does nothing; if sending
    fails the claim is released and the task's retry sends it (again to every admin)."""
    return deliver(
        REMINDERS,
        ids=[reminder_id],
        send=_send,
        where=Q(pledge__active=True),
        rows=PledgeReminder.objects.select_related("pledge__organisation"),
    )


def _send_decline_notice(contribution: Contribution) -> int:
    recorder = contribution.recorded_by
    if recorder is None or not recorder.is_active or not recorder.email:
        return 0
    person = Person.objects.filter(user=recorder).first()
    language = person.language if person is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "contribution": contribution,
            "person": person,
            "link": settings.SITE_URL + reverse("fund:contributions") + "?status=declined",
        }
        subject = render_to_string("fund/email/contribution_declined_subject.txt", context)
        body = render_to_string("fund/email/contribution_declined_body.txt", context)
    plain_message(
        to=recorder.email,
        subject=subject,
        body=body,
        message_id=message_id(contribution, "declined"),
    ).send()
    return 1


def contribution_decline_notice_send(*, contribution_id: int) -> bool:
    """Tell the person who recorded a contribution that it was declined, and why, once.
    Returns whether an email went out. It is about their own record, so it is not optional."""
    return bool(
        deliver(
            DECLINE_NOTICES,
            ids=[contribution_id],
            send=_send_decline_notice,
            where=Q(status=Contribution.Status.DECLINED),
            rows=Contribution.objects.select_related("organisation", "recorded_by"),
        )
    )


delivery.register(
    delivery.Sender(
        key="fund.pledge_reminders",
        outbox=REMINDERS,
        send_ids=lambda ids: sum(pledge_reminder_send(reminder_id=pk) for pk in ids),
        applies=lambda: Q(pledge__active=True),
        due="created_at",
    )
)
delivery.register(
    delivery.Sender(
        key="fund.decline_notices",
        outbox=DECLINE_NOTICES,
        send_ids=lambda ids: sum(
            contribution_decline_notice_send(contribution_id=pk) for pk in ids
        ),
        applies=lambda: Q(status=Contribution.Status.DECLINED),
        due="declined_at",
    )
)
