"""Reminder emails: in the person's language, with their local time, the UTC time, the link and
an .ics attachment. Each one is sent at most once (see ReminderDelivery)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assemblies.calendars import assembly_ics
from assemblies.models import Assembly, ReminderDelivery, ReminderSettings, Rsvp
from patio.emails import event_message

# The kinds of email (patio.emails) reminders belong to, each with its own unsubscribe.
ASSEMBLY_REMINDERS = "assembly_reminders"
UPDATE_REMINDERS = "circle_update_reminders"


def email_kind(delivery: ReminderDelivery) -> str:
    if delivery.kind == ReminderDelivery.Kind.UPDATE_MISSING:
        return UPDATE_REMINDERS
    return ASSEMBLY_REMINDERS


MARK_SENT_EVERY = 50
# How many reminders one commit takes for sending; a killed worker loses at most this many.
TAKE_AT_ONCE = 10


NAME = "\x00name\x00"  # stands for the person's name in a text rendered once per group


def _render(delivery: ReminderDelivery, *, config: ReminderSettings, name: str) -> tuple[str, str]:
    person, assembly = delivery.person, delivery.assembly
    zone = person.timezone or "UTC"
    note = {
        ReminderDelivery.Kind.INVITATION: config.invitation_text,
        ReminderDelivery.Kind.DAY_BEFORE: config.day_before_text,
        ReminderDelivery.Kind.HOUR_BEFORE: config.hour_before_text,
    }.get(delivery.kind, "")
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
    connection=None,
    rendered: dict | None = None,
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
        to=person.user.email,
        subject=subject,
        body=body,
        language=person.language,
        connection=connection,
    )
    message.attach(f"assembly-{assembly.pk}.ics", ics, "text/calendar; method=PUBLISH")
    return message


def _mark_sent(ids: list[int]) -> None:
    if ids:
        ReminderDelivery.objects.filter(pk__in=ids).update(sent_at=timezone.now())
        ids.clear()


def _take(ids: list[int]) -> set[int]:
    """Claim the sending of these rows: one conditional UPDATE, one commit. Returns the ids this
    call took (a row someone else took already is not among them)."""
    if not ids:
        return set()
    table = connection.ops.quote_name(ReminderDelivery._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            # The table name comes from the model and every value is a parameter.
            f"UPDATE {table} SET attempted_at = %s "  # noqa: S608
            f"WHERE id IN ({marks}) AND attempted_at IS NULL RETURNING id",
            [timezone.now(), *ids],
        )
        return {row[0] for row in cursor.fetchall()}


def reminders_send(*, delivery_ids: list[int]) -> int:
    """Send the given claimed reminders that nobody started yet. Returns how many went out.

    Rows are taken (attempted_at set by one conditional UPDATE) TAKE_AT_ONCE at a time, just before
    their emails are handed to the mail backend, so two deliveries of the task, or a re-queue
    after a worker was killed, never send one twice. A worker killed in the middle loses at most
    the rest of the rows it had taken: they stay taken and unsent (at most once, never twice).
    Taking a few per commit rather than one keeps the database's commit rate from capping the
    throughput. A failed send releases the rows not sent yet, for the task's retry."""
    config = ReminderSettings.load()
    deliveries = list(
        ReminderDelivery.objects.filter(pk__in=delivery_ids, attempted_at__isnull=True)
        .select_related("person__user", "assembly")
        .order_by("pk")
    )
    if not deliveries:
        return 0
    assembly_ids = {d.assembly_id for d in deliveries}
    declined = set(
        Rsvp.objects.filter(assembly_id__in=assembly_ids, answer=Rsvp.Answer.NOT_GOING).values_list(
            "assembly_id", "person_id"
        )
    )
    ics_cache: dict[int, bytes] = {}
    rendered: dict = {}
    sent: list[int] = []
    count = 0
    mail = get_connection()
    mail.open()
    try:
        for start in range(0, len(deliveries), TAKE_AT_ONCE):
            group = deliveries[start : start + TAKE_AT_ONCE]
            taken = _take([d.pk for d in group])
            pending = [d for d in group if d.pk in taken]
            while pending:
                delivery = pending[0]
                assembly = delivery.assembly
                skip = (
                    assembly.status != Assembly.Status.PLANNED
                    or (assembly.pk, delivery.person_id) in declined
                    or not delivery.person.user.is_active
                    or not delivery.person.wants_email(email_kind(delivery))
                )
                if not skip:  # skipped: taken and left unsent, the assembly or person changed
                    if assembly.pk not in ics_cache:
                        ics_cache[assembly.pk] = assembly_ics(assembly)
                    message = reminder_message(
                        delivery,
                        ics=ics_cache[assembly.pk],
                        config=config,
                        connection=mail,
                        rendered=rendered,
                    )
                    try:
                        message.send()
                    except Exception:
                        with transaction.atomic():
                            ReminderDelivery.objects.filter(pk__in=[d.pk for d in pending]).update(
                                attempted_at=None
                            )
                        raise
                    sent.append(delivery.pk)
                    count += 1
                pending.pop(0)
            if len(sent) >= MARK_SENT_EVERY:
                _mark_sent(sent)
    finally:
        _mark_sent(sent)
        mail.close()
    return count
