"""schema.org JSON-LD for public assemblies, each an `Event`, and their decisions, each a
`CreativeWork` recorded at it (patio.linked_data).

Only what a public assembly shows everyone: its title, times (with their offset), whether it
meets online, in a place or both, its status and what it decided. The meeting link stays with
members, so the virtual location is the assembly's own page."""

from __future__ import annotations

from assemblies.models import Assembly, Decision
from members.linked_data import network
from patio.linked_data import Document, absolute, document, moment, node, plain_text, reference

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


def decision_document(decision: Decision) -> Document:
    """A decision of a public assembly, as its page shows it to everyone: the text, how it
    was taken and what came of it, the assembly it was recorded at, and the corrections added
    since (the objections raised stay with members). Reads the prefetched corrections."""
    title = decision.agenda_item.title if decision.agenda_item else None
    return document(
        "CreativeWork",
        decision.get_absolute_url(),
        name=title or plain_text(decision.text)[:80],
        text=plain_text(decision.text),
        dateCreated=moment(decision.created_at),
        creativeWorkStatus=str(decision.get_outcome_display()),
        recordedAt=reference(
            "Event", decision.assembly.get_absolute_url(), decision.assembly.title
        ),
        publisher=network(),
        correction=[
            node("CorrectionComment", text=plain_text(c.text), dateCreated=moment(c.created_at))
            for c in decision.corrections.all()
        ],
    )
