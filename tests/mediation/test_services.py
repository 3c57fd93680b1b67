"""Opening, moving and scheduling cases; notes; the emails; the agenda; erasure and retention.
What a person relies on: a double POST makes one case, a state moves once, a meeting is stored
in UTC and shown in each reader's zone, the emails say nothing of the case, an escalation puts
a neutral item on the next assembly's agenda, and erasure and retention forget what they must."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assemblies.services import agenda_build
from audit.models import AuditEvent
from mediation import emails, selectors, services
from mediation.models import Case, CaseEvent, CaseNote, CaseNotice
from patio.models import OutboxMessage
from privacy.services import person_erase
from tests.assemblies.factories import AssemblyFactory
from tests.factories import PersonFactory
from tests.mediation.conftest import HOPE, SECRET, next_week

pytestmark = pytest.mark.django_db


def _send_all() -> int:
    return sum(emails.notices_send(event_id=e.pk) for e in CaseEvent.objects.all())


def test_a_double_post_of_the_form_opens_one_case(client, member, outsider, mediation_circle):
    client.force_login(member.user)
    form = client.get(reverse("mediation:new")).content.decode()
    token = form.split('name="form_token" value="')[1].split('"')[0]
    data = {
        "involved": [outsider.pk],
        "what_happened": "Words.",
        "hoped_for": "Peace.",
        "form_token": token,
    }
    first = client.post(reverse("mediation:new"), data)
    second = client.post(reverse("mediation:new"), data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"] == Case.objects.get().get_absolute_url()


def test_opening_names_others_and_needs_a_mediator_who_is_not_named(
    member, outsider, colleague, coop_admin, mediation_circle
):
    with pytest.raises(ValidationError) as error:
        services.case_open(actor=member.user, involved=[], what_happened="x", hoped_for="y")
    assert "involved" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.case_open(actor=member.user, involved=[member], what_happened="x", hoped_for="y")
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=member.user, involved=[colleague, coop_admin], what_happened="x", hoped_for="y"
        )
    assert error.value.code == "no_mediator"
    assert not Case.objects.exists()


def test_a_new_case_emails_the_mediators_not_named_and_says_nothing_of_it(
    case, colleague, coop_admin, outsider, member
):
    assert _send_all() == 1
    (email,) = mail.outbox
    assert email.to == [colleague.user.email]
    body = email.body + email.subject
    assert "needs a mediator" in body
    assert case.get_absolute_url() in body
    for word in (SECRET, HOPE, member.display_name, outsider.display_name, coop_admin.display_name):
        assert word not in body
    assert _send_all() == 0  # each notice goes once


def test_a_state_change_tells_the_requester_there_is_news_and_nothing_more(case, colleague, member):
    _send_all()
    mail.outbox.clear()
    services.case_move(actor=colleague.user, case=case, to_state=Case.State.IN_MEDIATION)
    assert _send_all() == 1
    (email,) = mail.outbox
    assert email.to == [member.user.email]
    assert SECRET not in email.body and "mediation" in email.body.lower()
    assert "In mediation" not in email.body


def test_moving_twice_to_the_same_state_records_one_event(case, colleague):
    for _ in range(2):
        services.case_move(actor=colleague.user, case=case, to_state=Case.State.IN_MEDIATION)
    assert case.events.filter(kind=CaseEvent.Kind.STATE).count() == 1
    assert AuditEvent.objects.filter(action="mediation.case.move").count() == 1


def test_an_ended_case_moves_no_further_and_takes_no_notes(case, colleague, member):
    with pytest.raises(ValidationError):  # an agreement needs a mediation first
        services.case_move(actor=colleague.user, case=case, to_state=Case.State.AGREEMENT)
    services.case_move(actor=colleague.user, case=case, to_state=Case.State.NO_AGREEMENT)
    case.refresh_from_db()
    assert case.ended_at is not None
    with pytest.raises(ValidationError):
        services.case_move(actor=colleague.user, case=case, to_state=Case.State.IN_MEDIATION)
    with pytest.raises(PermissionDenied):
        services.case_note_add(actor=member.user, case=case, body="Late.")


def test_the_meeting_is_stored_in_utc_and_shown_in_each_readers_zone(
    client, case, colleague, member
):
    colleague.timezone = "Asia/Tokyo"
    colleague.save(update_fields=["timezone"])
    member.timezone = "America/Bogota"
    member.save(update_fields=["timezone"])
    client.force_login(colleague.user)
    day = (timezone.now() + datetime.timedelta(days=10)).date()
    response = client.post(
        reverse("mediation:meeting", args=[case.pk]),
        {"at": f"{day.isoformat()}T18:00", "minutes": "60", "place": "https://call.example/x"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    tokyo = datetime.datetime.combine(day, datetime.time(18), zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert case.meeting_at == tokyo
    assert case.meeting_at.astimezone(datetime.UTC).hour == 9
    client.force_login(member.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "4:00\u202fAM" in page or "4:00 AM" in page  # 09:00 UTC is 04:00 in Bogotá
    ics = client.get(reverse("mediation:meeting_ics", args=[case.pk]))
    assert ics["Content-Type"] == "text/calendar"
    text = ics.content.decode()
    assert "DTSTART:" in text and "Z\r\n" in text.split("DTSTART")[1][:30] + "\r\n"
    assert "Mediation meeting" in text and SECRET not in text


def test_the_same_meeting_twice_records_one_event(case, colleague):
    at = next_week()
    for _ in range(2):
        services.case_schedule_meeting(actor=colleague.user, case=case, at=at, minutes=60)
    assert case.events.filter(kind=CaseEvent.Kind.MEETING).count() == 1


def test_a_note_is_read_by_the_mediator_and_the_requester_only(
    client, case, colleague, member, outsider, coop_admin
):
    services.case_note_add(actor=colleague.user, case=case, body="Spoke with them: Quokka-call.")
    for person, sees in ((member, True), (colleague, True), (outsider, False), (coop_admin, False)):
        client.force_login(person.user)
        response = client.get(case.get_absolute_url())
        assert (b"Quokka-call" in response.content) is sees, person


def test_an_escalation_puts_a_neutral_item_on_the_next_assemblys_agenda(
    case, colleague, network_admin
):
    later = AssemblyFactory(start=timezone.now() + datetime.timedelta(days=40))
    nearer = AssemblyFactory(start=timezone.now() + datetime.timedelta(days=10))
    services.case_move(actor=colleague.user, case=case, to_state=Case.State.ESCALATED)
    agenda_build(actor=network_admin, assembly=nearer)
    agenda_build(actor=network_admin, assembly=later)
    (item,) = nearer.agenda_items.filter(source_key__startswith="mediation:")
    assert item.title == "A conflict the mediators bring to the assembly"
    assert SECRET not in item.description and str(case.pk) not in item.source_key
    assert item.proposer_id is None
    assert not later.agenda_items.filter(source_key__startswith="mediation:").exists()
    agenda_build(actor=network_admin, assembly=nearer)  # again: no second item
    assert nearer.agenda_items.filter(source_key__startswith="mediation:").count() == 1
    assert selectors.next_assembly_after(case.events.last().at) == nearer


def test_erasing_the_requester_forgets_their_cases(case, member):
    services.case_note_add(actor=member.user, case=case, body="Mine.")
    person_erase(actor=member.user, person=member)
    assert not Case.objects.exists()
    assert not CaseNote.objects.exists() and not CaseNotice.objects.exists()
    assert AuditEvent.objects.filter(action="mediation.case.forget", confidential=True).exists()


def test_erasing_someone_named_keeps_the_case_for_its_requester(client, case, outsider, member):
    person_erase(actor=outsider.user, person=outsider)
    case.refresh_from_db()
    assert case.involved.count() == 2
    client.force_login(member.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Omar Outsider" not in page and "Former member" in page


def test_retention_forgets_cases_that_ended_long_ago(
    settings, case, open_case, colleague, outsider
):
    settings.MEDIATION_RETENTION_MONTHS = 24
    recent = open_case(involved=[outsider])
    for c in (case, recent):
        services.case_move(actor=colleague.user, case=c, to_state=Case.State.NO_AGREEMENT)
    Case.objects.filter(pk=case.pk).update(ended_at=timezone.now() - datetime.timedelta(days=800))
    assert services.cases_forget_ended() == 1
    assert list(Case.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_beat_forgets_ended_cases_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["mediation-retention"]
    assert entry["task"] == "mediation.tasks.forget_ended_cases"


def test_opening_a_case_queues_its_emails_after_commit(case):
    assert OutboxMessage.objects.filter(task="mediation.tasks.send_case_notices").count() == 1


def test_people_of_the_network_may_be_named_but_not_oneself(member):
    other = PersonFactory(display_name="Nia Named")
    people = set(selectors.people_to_name(member))
    assert other in people and member not in people
