"""Reminder emails: in the person's language, with their local time, the UTC time, the link and
an .ics attachment. Each one is sent at most once (see ReminderDelivery)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assemblies.calendars import assembly_ics
from assemblies.models import (
    Assembly,
    Attendance,
    Correction,
    Minutes,
    ReminderDelivery,
    ReminderSettings,
    Rsvp,
)
from members.models import Person
from patio import delivery
from patio.delivery import Outbox, deliver
from patio.emails import event_message, message_id, plain_message

# The kinds of email (patio.emails) reminders belong to, each with its own unsubscribe.
ASSEMBLY_REMINDERS = "assembly_reminders"
UPDATE_REMINDERS = "circle_update_reminders"


def email_kind(delivery: ReminderDelivery) -> str:
    if delivery.kind == ReminderDelivery.Kind.UPDATE_MISSING:
        return UPDATE_REMINDERS
    return ASSEMBLY_REMINDERS


# Rows are claimed by the dispatch (queued_at), taken just before the send (attempted_at) and
# settled once the email is out, or skipped (sent_at).
REMINDERS = Outbox(ReminderDelivery, taken="attempted_at", settled="sent_at", queued="queued_at")
# How many reminders one commit takes for sending: a commit per few rows, not per row, keeps the
# database's commit rate from capping the throughput.
TAKE_AT_ONCE = 10


NAME = "\x00name\x00"  # stands for the person's name in a text rendered once per group
# Subject and body by (kind, assembly, language, timezone), each rendered once with NAME in it.
Renderings = dict[tuple[str, int, str, str], tuple[str, str]]


def _render(delivery: ReminderDelivery, *, config: ReminderSettings, name: str) -> tuple[str, str]:
    person, assembly = delivery.person, delivery.assembly
    zone = person.timezone or "UTC"
    notes: dict[str, str] = {
        ReminderDelivery.Kind.INVITATION: config.invitation_text,
        ReminderDelivery.Kind.DAY_BEFORE: config.day_before_text,
        ReminderDelivery.Kind.HOUR_BEFORE: config.hour_before_text,
    }
    note = notes.get(delivery.kind, "")
    with translation.override(person.language), timezone.override(ZoneInfo(zone)):
        context = {
            "name": name,
            "assembly": assembly,
            "kind": delivery.kind,
            "zone": zone,
            "note": note,
            "link": settings.SITE_URL + assembly.get_absolute_url(),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("assemblies/email/reminder_subject.txt", context).strip()
        body = render_to_string("assemblies/email/reminder_body.txt", context)
    return subject, body


def reminder_message(
    delivery: ReminderDelivery,
    *,
    ics: bytes,
    config: ReminderSettings,
    connection: BaseEmailBackend | None = None,
    rendered: Renderings | None = None,
) -> EmailMessage:
    """The reminder for one person. Pass a dict as `rendered` when sending many: people who share
    a language, a timezone and the kind get one rendering, with their own name put in."""
    person, assembly = delivery.person, delivery.assembly
    if rendered is None:
        subject, body = _render(delivery, config=config, name=person.display_name)
    else:
        key = (delivery.kind, assembly.pk, person.language, person.timezone)
        if key not in rendered:
            rendered[key] = _render(delivery, config=config, name=NAME)
        subject, body = rendered[key]
        body = body.replace(NAME, person.display_name)
    message = event_message(
        kind=email_kind(delivery),
        person_id=person.pk,
        to=person.email_address,
        subject=subject,
        body=body,
        language=person.language,
        message_id=message_id(delivery),
        connection=connection,
    )
    message.attach(f"assembly-{assembly.pk}.ics", ics, "text/calendar; method=PUBLISH")
    return message


def reminders_send(*, delivery_ids: list[int]) -> int:
    """Send the given claimed reminders that nobody started yet. Returns how many went out.

    Each row has one sender (patio.delivery): rows are taken (attempted_at) TAKE_AT_ONCE at a
    time with one conditional UPDATE, just before their emails are handed to the mail backend, so
    two deliveries of the task, or a re-queue, never send one twice; each is marked sent as soon
    as it went. A worker killed in the middle leaves its rows taken and unsent: they are taken
    again after DELIVERY_RECLAIM_SECONDS. A failed send releases the rows not sent yet, for the
    task's retry. People who answered "not going" since the claim, and reminders of an assembly
    no longer planned, are skipped (settled, never sent)."""
    config = ReminderSettings.load()
    ics_cache: dict[int, bytes] = {}
    rendered: Renderings = {}
    declined: dict[int, set[int]] = {}

    def not_going(assembly_id: int) -> set[int]:
        if assembly_id not in declined:
            declined[assembly_id] = set(
                Rsvp.objects.filter(
                    assembly_id=assembly_id, answer=Rsvp.Answer.NOT_GOING
                ).values_list("person_id", flat=True)
            )
        return declined[assembly_id]

    with get_connection() as mail:

        def send(delivery: ReminderDelivery) -> int:
            assembly, person = delivery.assembly, delivery.person
            if (
                assembly.status != Assembly.Status.PLANNED
                or person.pk in not_going(assembly.pk)
                or person.user is None
                or not person.user.is_active
                or not person.wants_email(email_kind(delivery))
            ):
                return 0
            if assembly.pk not in ics_cache:
                ics_cache[assembly.pk] = assembly_ics(assembly)
            reminder_message(
                delivery,
                ics=ics_cache[assembly.pk],
                config=config,
                connection=mail,
                rendered=rendered,
            ).send()
            return 1

        return deliver(
            REMINDERS,
            ids=delivery_ids,
            send=send,
            rows=ReminderDelivery.objects.select_related("person__user", "assembly"),
            take_at_once=TAKE_AT_ONCE,
        )


delivery.register(
    delivery.Sender(
        key="assemblies.reminders",
        outbox=REMINDERS,
        send_ids=lambda ids: reminders_send(delivery_ids=ids),
        applies=lambda: Q(assembly__start__gt=timezone.now()),
        due="queued_at",
    )
)


# Minutes approved by those present --------------------------------------------------------------
MINUTES_EMAILS = "assembly_minutes"

# Each attendance row carries the email telling that person the draft minutes are up.
DRAFT_NOTICES = Outbox(Attendance, taken="draft_notice_taken_at", settled="draft_notice_sent_at")
# Each suggestion carries the email telling its author what became of it.
CORRECTION_NOTICES = Outbox(Correction, taken="notice_taken_at", settled="notice_sent_at")


def _local(person: Person):
    return translation.override(person.language), timezone.override(
        ZoneInfo(person.timezone or "UTC")
    )


def _send_draft_notice(attendance: Attendance) -> int:
    person, assembly = attendance.person, attendance.assembly
    minutes = Minutes.objects.filter(assembly=assembly, approved_at__isnull=True).first()
    if (
        minutes is None
        or person.user is None
        or not person.user.is_active
        or not person.wants_email(MINUTES_EMAILS)
    ):
        return 0
    language, zone = _local(person)
    with language, zone:
        context = {
            "name": person.display_name,
            "assembly": assembly,
            "minutes": minutes,
            "zone": person.timezone or "UTC",
            "link": settings.SITE_URL + assembly.get_absolute_url() + "#minutes",
        }
        subject = render_to_string("assemblies/email/draft_minutes_subject.txt", context)
        body = render_to_string("assemblies/email/draft_minutes_body.txt", context)
    event_message(
        kind=MINUTES_EMAILS,
        person_id=person.pk,
        to=person.email_address,
        subject=subject.strip(),
        body=body,
        language=person.language,
        message_id=message_id(attendance, "draft"),
    ).send()
    return 1


def draft_notices_send(*, assembly_id: int) -> int:
    """Tell everyone who was present that the draft minutes are up, once each, in their language
    and with the closing time in their timezone. Safe to run twice."""
    ids = Attendance.objects.filter(assembly_id=assembly_id).values_list("pk", flat=True)
    return deliver(
        DRAFT_NOTICES,
        ids=list(ids),
        send=_send_draft_notice,
        rows=Attendance.objects.select_related("person__user", "assembly"),
        take_at_once=TAKE_AT_ONCE,
    )


def _send_correction_notice(correction: Correction) -> int:
    person = correction.author
    if person is None or person.user is None or not person.user.is_active:
        return 0
    language, zone = _local(person)
    with language, zone:
        context = {
            "name": person.display_name,
            "assembly": correction.assembly,
            "correction": correction,
            "link": settings.SITE_URL + correction.assembly.get_absolute_url() + "#minutes",
        }
        subject = render_to_string("assemblies/email/correction_decided_subject.txt", context)
        body = render_to_string("assemblies/email/correction_decided_body.txt", context)
    # About the person's own suggestion: not an email one unsubscribes from.
    plain_message(
        to=person.email_address,
        subject=subject.strip(),
        body=body,
        message_id=message_id(correction, "decided"),
    ).send()
    return 1


def correction_notice_send(*, correction_id: int) -> bool:
    """Tell a suggestion's author it was accepted, rejected or lapsed, once."""
    return bool(
        deliver(
            CORRECTION_NOTICES,
            ids=[correction_id],
            send=_send_correction_notice,
            where=Q(
                status__in=[
                    Correction.Status.ACCEPTED,
                    Correction.Status.REJECTED,
                    Correction.Status.LAPSED,
                ]
            ),
            rows=Correction.objects.select_related("author__user", "assembly"),
        )
    )


delivery.register(
    delivery.Sender(
        key="assemblies.draft_notices",
        outbox=DRAFT_NOTICES,
        send_ids=lambda ids: sum(
            draft_notices_send(assembly_id=pk)
            for pk in set(
                Attendance.objects.filter(pk__in=ids).values_list("assembly_id", flat=True)
            )
        ),
        applies=lambda: Q(assembly__minutes__approved_at__isnull=True),
    )
)
delivery.register(
    delivery.Sender(
        key="assemblies.correction_notices",
        outbox=CORRECTION_NOTICES,
        send_ids=lambda ids: sum(correction_notice_send(correction_id=pk) for pk in ids),
        applies=lambda: Q(
            status__in=[
                Correction.Status.ACCEPTED,
                Correction.Status.REJECTED,
                Correction.Status.LAPSED,
            ]
        ),
        due="decided_at",
    )
)
