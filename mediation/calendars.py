"""The iCalendar entry of a case's meeting, for its readers only. It says no more than an
email would: "Mediation meeting", when, where, and the case's link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from mediation.models import Case


def meeting_ics(case: Case) -> bytes:
    assert case.meeting_at is not None
    cal = Calendar()
    cal.add("prodid", "-//Patio//Mediation//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"mediation-case-{case.pk}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", case.updated_at)
    event.add("dtstart", case.meeting_at)
    event.add("dtend", case.meeting_at + timedelta(minutes=case.meeting_minutes))
    event.add("summary", _("Mediation meeting"))
    url = settings.SITE_URL + case.get_absolute_url()
    event.add("url", url)
    if case.meeting_place:
        event.add("location", case.meeting_place)
    event.add("description", url)
    event.add("class", "CONFIDENTIAL")
    cal.add_component(event)
    return cal.to_ical()
