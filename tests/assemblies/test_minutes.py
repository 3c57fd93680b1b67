"""Minutes approved by those present: the note-taker publishes a draft after the assembly
closes, those present suggest corrections for the series's window, the facilitator accepts
(applied to the draft, with history) or rejects each, then the minutes are approved (by the
facilitator, or by beat after the window) and frozen, on the pages and in the API."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assemblies import emails, services
from assemblies.models import Correction, Minutes
from audit.models import AuditEvent
from tests.assemblies.factories import SeriesFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DRAFT = "## Fund\n\nThe cap is 5,000 EUR a year.\n\n## Gathering\n\nRosario offered."


@pytest.fixture
def present(coop):
    return PersonFactory(
        organisation=coop,
        display_name="Pia Present",
        language="fr",
        timezone="Europe/Paris",
        active_member=True,
    )


@pytest.fixture
def closed(open_assembly, facilitator, present):
    services.attendance_set(actor=facilitator.user, assembly=open_assembly, people=[present])
    services.assembly_set_status(actor=facilitator.user, assembly=open_assembly, status="closed")
    open_assembly.refresh_from_db()
    return open_assembly


@pytest.fixture
def published(closed, note_taker):
    return services.minutes_publish(actor=note_taker.user, assembly=closed, text=DRAFT)


def _suggest(person, assembly, **kw):
    values = {"text": "The cap is 5,000 EUR a year for each co-op.", "reason": "As said."}
    return services.correction_suggest(actor=person.user, assembly=assembly, **{**values, **kw})


def test_the_note_taker_publishes_the_draft_with_the_series_window(closed, note_taker):
    series = SeriesFactory(correction_window_days=3)
    closed.series = series
    closed.save()

    minutes = services.minutes_publish(actor=note_taker.user, assembly=closed, text=DRAFT)

    assert minutes.window_closes_at - minutes.published_at == timedelta(days=3)
    assert minutes.revisions.count() == 1
    assert AuditEvent.objects.filter(action="assembly.minutes_publish").exists()


def test_the_window_is_seven_days_by_default(published):
    assert published.window_closes_at - published.published_at == timedelta(days=7)


def test_minutes_are_published_only_after_the_assembly_closes(open_assembly, note_taker):
    with pytest.raises(ValidationError):
        services.minutes_publish(actor=note_taker.user, assembly=open_assembly, text=DRAFT)


def test_only_the_note_taker_or_an_admin_publishes(closed, facilitator, present):
    for person in (facilitator, present):
        with pytest.raises(PermissionDenied):
            services.minutes_publish(actor=person.user, assembly=closed, text=DRAFT)


def test_those_present_are_told_in_their_language_and_timezone(published, present, mailoutbox):
    sent = emails.draft_notices_send(assembly_id=published.assembly_id)

    assert sent == 1
    assert emails.draft_notices_send(assembly_id=published.assembly_id) == 0  # once
    (message,) = mailoutbox
    assert message.to == [present.email_address]
    assert "Today's assembly" in message.subject
    local = timezone.localtime(published.window_closes_at, timezone=ZoneInfo("Europe/Paris"))
    assert f"{local:%H:%M}" in message.body
    assert "(Europe/Paris)" in message.body


def test_only_those_present_suggest(published, member):
    with pytest.raises(PermissionDenied):
        _suggest(member, published.assembly)


def test_an_accepted_suggestion_is_applied_to_the_draft_with_history(
    published, present, facilitator, mailoutbox
):
    suggestion = _suggest(present, published.assembly, original="The cap is 5,000 EUR a year.")

    services.correction_decide(actor=facilitator.user, correction=suggestion, accept=True)

    published.refresh_from_db()
    assert "5,000 EUR a year for each co-op." in published.text
    assert published.revisions.count() == 2
    assert emails.correction_notice_send(correction_id=suggestion.pk) is True
    assert emails.correction_notice_send(correction_id=suggestion.pk) is False
    assert mailoutbox[-1].to == [present.email_address]


def test_a_suggestion_with_no_words_to_change_is_added_at_the_end(published, present, facilitator):
    suggestion = _suggest(present, published.assembly, text="Sofia offered too.")
    services.correction_decide(actor=facilitator.user, correction=suggestion, accept=True)
    published.refresh_from_db()
    assert published.text.endswith("Sofia offered too.")


def test_a_rejected_suggestion_leaves_the_draft(published, present, facilitator):
    suggestion = _suggest(present, published.assembly)
    services.correction_decide(
        actor=facilitator.user, correction=suggestion, accept=False, note="It was the network cap."
    )
    published.refresh_from_db()
    assert published.text == DRAFT
    assert Correction.objects.get(pk=suggestion.pk).status == Correction.Status.REJECTED


def test_words_not_in_the_draft_are_refused(published, present):
    with pytest.raises(ValidationError):
        _suggest(present, published.assembly, original="Not in the minutes.")


def test_only_the_facilitator_or_an_admin_decides(published, present, note_taker):
    suggestion = _suggest(present, published.assembly)
    for person in (present, note_taker):
        with pytest.raises(PermissionDenied):
            services.correction_decide(actor=person.user, correction=suggestion, accept=True)


def test_the_facilitator_approves_once_every_suggestion_is_decided(published, present, facilitator):
    suggestion = _suggest(present, published.assembly)
    with pytest.raises(ValidationError):
        services.minutes_approve(actor=facilitator.user, assembly=published.assembly)

    services.correction_decide(actor=facilitator.user, correction=suggestion, accept=False)
    minutes = services.minutes_approve(actor=facilitator.user, assembly=published.assembly)

    assert minutes.is_approved and minutes.approved_by == facilitator


def test_beat_approves_after_the_window_once_and_waiting_suggestions_lapse(published, present):
    suggestion = _suggest(present, published.assembly)
    later = published.window_closes_at + timedelta(minutes=1)

    assert services.minutes_approve_due(now=published.window_closes_at - timedelta(minutes=1)) == []
    assert services.minutes_approve_due(now=later) == [published.pk]
    assert services.minutes_approve_due(now=later) == []  # claimed once

    assert Correction.objects.get(pk=suggestion.pk).status == Correction.Status.LAPSED
    assert Minutes.objects.get(pk=published.pk).approved_by is None


def test_approved_minutes_are_frozen_for_services(published, present, facilitator, note_taker):
    suggestion = _suggest(present, published.assembly)
    services.correction_decide(actor=facilitator.user, correction=suggestion, accept=False)
    services.minutes_approve(actor=facilitator.user, assembly=published.assembly)
    assembly = published.assembly

    with pytest.raises(services.MinutesFrozen):
        _suggest(present, assembly)
    with pytest.raises(services.MinutesFrozen):
        services.minutes_publish(actor=note_taker.user, assembly=assembly, text="New")
    with pytest.raises(services.MinutesFrozen):
        services.minutes_approve(actor=facilitator.user, assembly=assembly)


def test_approved_minutes_are_frozen_on_the_pages_and_in_the_api(
    published, present, facilitator, client
):
    services.minutes_approve(actor=facilitator.user, assembly=published.assembly)
    pk = published.assembly_id
    client.force_login(present.user)

    page = client.post(reverse("assemblies:suggest", args=[pk]), {"text": "x", "reason": "y"})
    api = client.post(
        "/api/v1/corrections/suggest/",
        {"assembly": pk, "text": "x", "reason": "y"},
        content_type="application/json",
    )

    assert page.status_code == 302
    assert api.status_code == 409
    assert api["Content-Type"].startswith("application/problem+json")
    published.refresh_from_db()
    assert published.text == DRAFT
    assert not Correction.objects.filter(assembly_id=pk).exists()


def test_the_assembly_page_shows_the_draft_and_the_suggestions(published, present, client):
    _suggest(present, published.assembly)
    client.force_login(present.user)

    page = client.get(published.assembly.get_absolute_url()).content.decode()

    assert "Rosario offered." in page
    assert "for each co-op" in page
    assert reverse("assemblies:suggest", args=[published.assembly_id]) in page
