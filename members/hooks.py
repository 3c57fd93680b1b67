"""Slots that apps above members fill (members imports none of them): sections of a person's
page, and what happens when someone joins by an invitation an app sent.

An app registers a section in its AppConfig.ready():

    from members.hooks import register_person_section
    register_person_section(my_section)  # my_section(request, person) -> str (HTML) or ""

The person page renders every registered section, in registration order."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

PersonSection = Callable[[HttpRequest, "object"], str]
_sections: list[PersonSection] = []


def register_person_section(section: PersonSection) -> PersonSection:
    if section not in _sections:
        _sections.append(section)
    return section


def render_person_sections(request: HttpRequest, person) -> list[SafeString]:
    """The HTML of each registered section for this person and reader (empty ones left out).

    Each section must run a constant number of queries."""
    return [html for section in _sections if (html := section(request, person))]


# Joining by invitation -----------------------------------------------------------------------
InvitationAccepted = Callable[["object", "object"], None]  # (invitation, person)
InvitationNote = Callable[["object"], list[str]]  # invitation -> lines for the landing page
_accepted: list[InvitationAccepted] = []
_notes: list[InvitationNote] = []


def register_invitation_accepted(callback: InvitationAccepted) -> InvitationAccepted:
    """`callback(invitation, person)` runs inside the transaction that accepts the invitation:
    when it raises, the account is not created either."""
    if callback not in _accepted:
        _accepted.append(callback)
    return callback


def invitation_accepted(invitation, person) -> None:
    for callback in _accepted:
        callback(invitation, person)


def register_invitation_note(note: InvitationNote) -> InvitationNote:
    """`note(invitation)` returns plain-text lines the invitation's landing page shows."""
    if note not in _notes:
        _notes.append(note)
    return note


def invitation_notes(invitation) -> list[str]:
    return [line for note in _notes for line in note(invitation)]
