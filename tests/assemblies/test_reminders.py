"""Reminders: an invitation when the agenda is published, one the day before at 09:00 where the
person lives, one an hour before; none for people not going; each at most once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from assemblies import services
from assemblies.emails import reminders_send
from assemblies.models import ReminderDelivery, ReminderSettings, Rsvp
from circles.models import CircleMembership
from tests.assemblies.factories import AssemblyFactory, CircleUpdateFactory, utc
from tests.circles.factories import CircleFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

START = utc(2026, 4, 2, 15)  # Thursday; Tokyo: Friday 00:00, Buenos Aires: Thursday 12:00


@pytest.fixture
def tokyo(coop):
    return PersonFactory(organisation=coop, timezone="Asia/Tokyo", user__email="ken@example.coop")


@pytest.fixture
def buenos_aires(other_coop):
    return PersonFactory(
        organisation=other_coop,
        timezone="America/Argentina/Buenos_Aires",
        language="es",
        user__email="sol@example.coop",
    )


@pytest.fixture
def meeting(db):
    return AssemblyFactory(title="April assembly", start=START)


def claimed(kind: str) -> set[str]:
    return set(
        ReminderDelivery.objects.filter(kind=kind).values_list("person__user__email", flat=True)
    )


def test_no_invitation_before_the_agenda_is_published(meeting, tokyo):
    services.reminders_dispatch(now=START - timedelta(days=5))

    assert claimed("invitation") == set()


def test_publishing_the_agenda_invites_every_member_with_an_account(
    tokyo, buenos_aires, network_admin, django_capture_on_commit_callbacks
):
    next_month = AssemblyFactory()  # starts in ten days
    PersonFactory(organisation=tokyo.organisation, user=None)  # no account, no email
    with django_capture_on_commit_callbacks():
        services.agenda_publish(actor=network_admin, assembly=next_month)

    services.reminders_dispatch()

    assert claimed("invitation") == {"ken@example.coop", "sol@example.coop"}


def test_the_day_before_reminder_waits_for_nine_in_the_morning_where_each_person_lives(
    meeting, tokyo, buenos_aires
):
    # Buenos Aires: 09:00 on Wednesday 1 April is 12:00 UTC. Tokyo: 09:00 on Thursday 2 April
    # (the day before its Friday 00:00) is 00:00 UTC on 2 April.
    services.reminders_dispatch(now=utc(2026, 4, 1, 11, 59))
    assert claimed("day_before") == set()

    services.reminders_dispatch(now=utc(2026, 4, 1, 12, 0))
    assert claimed("day_before") == {"sol@example.coop"}

    services.reminders_dispatch(now=utc(2026, 4, 2, 0, 0))
    assert claimed("day_before") == {"sol@example.coop", "ken@example.coop"}


def test_the_last_reminder_goes_out_an_hour_before(meeting, tokyo):
    services.reminders_dispatch(now=START - timedelta(minutes=61))
    assert claimed("hour_before") == set()

    services.reminders_dispatch(now=START - timedelta(minutes=60))
    assert claimed("hour_before") == {"ken@example.coop"}


def test_lead_times_are_settings_an_admin_changes(meeting, tokyo):
    config = ReminderSettings.load()
    config.hour_before_minutes = 30
    config.save()

    services.reminders_dispatch(now=START - timedelta(minutes=45))
    assert claimed("hour_before") == set()
    services.reminders_dispatch(now=START - timedelta(minutes=30))
    assert claimed("hour_before") == {"ken@example.coop"}


def test_nobody_is_reminded_after_the_assembly_started(meeting, tokyo):
    assert services.reminders_dispatch(now=START + timedelta(minutes=1)) == []


def test_people_not_going_get_no_more_reminders(meeting, tokyo, buenos_aires):
    Rsvp.objects.create(assembly=meeting, person=tokyo, answer=Rsvp.Answer.NOT_GOING)

    services.reminders_dispatch(now=START - timedelta(minutes=30))

    assert claimed("hour_before") == {"sol@example.coop"}


def test_a_person_who_says_not_going_after_the_claim_gets_nothing(meeting, tokyo):
    ids = services.reminders_dispatch(now=START - timedelta(minutes=30))
    Rsvp.objects.create(assembly=meeting, person=tokyo, answer=Rsvp.Answer.NOT_GOING)

    assert reminders_send(delivery_ids=ids) == 0
    assert mail.outbox == []


def test_a_cancelled_assembly_sends_nothing(meeting, tokyo, network_admin):
    services.assembly_cancel(actor=network_admin, assembly=meeting)

    assert services.reminders_dispatch(now=START - timedelta(minutes=30)) == []


def test_dispatching_twice_claims_each_reminder_once(meeting, tokyo, buenos_aires):
    first = services.reminders_dispatch(now=START - timedelta(minutes=30))
    second = services.reminders_dispatch(now=START - timedelta(minutes=29))

    assert len(first) == 2
    assert second == []


def test_sending_the_same_claims_twice_emails_each_person_once(meeting, tokyo, buenos_aires):
    ids = services.reminders_dispatch(now=START - timedelta(minutes=30))

    assert reminders_send(delivery_ids=ids) == 2
    assert reminders_send(delivery_ids=ids) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["ken@example.coop", "sol@example.coop"]
    assert ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 2


def test_the_email_carries_local_and_utc_time_link_and_calendar_file(meeting, buenos_aires):
    ids = services.reminders_dispatch(now=START - timedelta(minutes=30))
    reminders_send(delivery_ids=ids)

    (message,) = mail.outbox
    assert "jueves, 2 de abril de 2026, 12:00 (America/Argentina/Buenos_Aires)" in message.body
    assert "UTC: 2 de abril de 2026, 15:00 (UTC)" in message.body
    assert f"/assemblies/{meeting.pk}/" in message.body
    assert "https://meet.example.coop/assembly" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "DTSTART:20260402T150000Z" in content


def test_moving_an_assembly_re_arms_the_reminders_about_its_time(meeting, tokyo, network_admin):
    services.reminders_dispatch(now=START - timedelta(minutes=30))
    services.assembly_update(
        actor=network_admin, assembly=meeting, data={"start": START + timedelta(days=7)}
    )

    services.reminders_dispatch(now=START + timedelta(days=7, minutes=-30))

    assert ReminderDelivery.objects.filter(kind="hour_before").count() == 1


def test_coordinators_are_reminded_when_their_circles_update_is_missing(meeting, tokyo, coop):
    tech, care = CircleFactory(name="Tech"), CircleFactory(name="Care")
    for circle, email in ((tech, "tech@example.coop"), (care, "care@example.coop")):
        CircleMembership.objects.create(
            circle=circle,
            role=CircleMembership.Role.COORDINATOR,
            person=PersonFactory(organisation=coop, user__email=email),
        )
    CircleUpdateFactory(assembly=meeting, circle=care)

    services.reminders_dispatch(now=START - timedelta(days=2))

    assert claimed("update_missing") == {"tech@example.coop"}


def test_a_person_who_turned_reminders_off_gets_none_and_the_others_can_stop_them(
    meeting, tokyo, buenos_aires
):
    Person = type(tokyo)
    Person.objects.filter(pk=tokyo.pk).update(email_choices={"assembly_reminders": "never"})
    ids = services.reminders_dispatch(now=START - timedelta(minutes=30))

    assert reminders_send(delivery_ids=ids) == 1
    (message,) = mail.outbox
    assert message.to == ["sol@example.coop"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/emails/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.attachments  # the calendar file is still there


def test_a_coordinator_can_stop_update_reminders_and_keep_assembly_reminders(meeting, coop):
    quiet = PersonFactory(
        organisation=coop,
        user__email="tech@example.coop",
        email_choices={"circle_update_reminders": "never"},
    )
    keen = PersonFactory(organisation=coop, user__email="care@example.coop")
    for name, person in (("Tech", quiet), ("Care", keen)):
        CircleMembership.objects.create(
            circle=CircleFactory(name=name), role=CircleMembership.Role.COORDINATOR, person=person
        )
    ids = services.reminders_dispatch(now=START - timedelta(days=2))

    assert reminders_send(delivery_ids=ids) == 1
    assert [m.to for m in mail.outbox] == [["care@example.coop"]]
    assert not quiet.wants_email("circle_update_reminders")
    assert quiet.wants_email("assembly_reminders")
