"""schema.org JSON-LD for public assemblies: each an `Event` (patio.linked_data).

Only what a public assembly shows everyone: its title, times (with their offset), whether it
meets online, in a place or both, its status and what it decided. The meeting link stays with
members, so the virtual location is the assembly's own page."""

from __future__ import annotations

from assemblies.models import Assembly
from members.linked_data import network
from patio.linked_data import Document, absolute, document, moment, node

SCHEMA = "https://schema.org/"


def attendance_mode(assembly: Assembly) -> str:
    if assembly.place and assembly.link:
        return f"{SCHEMA}MixedEventAttendanceMode"
    if assembly.place:
        return f"{SCHEMA}OfflineEventAttendanceMode"
    return f"{SCHEMA}OnlineEventAttendanceMode"


def event_document(assembly: Assembly) -> Document:
    url = absolute(assembly.get_absolute_url())
    locations = [node("VirtualLocation", url=url)] if assembly.link or not assembly.place else []
    if assembly.place:
        locations.append(node("Place", name=assembly.place))
    status = "EventCancelled" if assembly.status == Assembly.Status.CANCELLED else "EventScheduled"
    return document(
        "Event",
        assembly.get_absolute_url(),
        name=assembly.title,
        startDate=moment(assembly.start),
        endDate=moment(assembly.end),
        eventAttendanceMode=attendance_mode(assembly),
        eventStatus=f"{SCHEMA}{status}",
        location=locations,
        organizer=network(),
        isAccessibleForFree=True,
    )
