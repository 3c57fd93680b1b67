"""Slots that apps above members fill (members imports none of them): sections of a person's
page and of the member's home, and what happens when someone joins by an invitation an app sent.

An app registers a section in its AppConfig.ready():

    from members.hooks import register_person_section
    register_person_section(my_section)  # my_section(request, person) -> str (HTML) or ""

The person page renders every registered section, in registration order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
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


# The member's home --------------------------------------------------------------------------
# Apps above members fill the dashboard at "/" through two slots, in their AppConfig.ready():
#
#     from members.hooks import register_home_section
#     register_home_section(my_rsvps, slot=WAITING, order=10)  # my_rsvps(request) -> str or ""
#
# WAITING sections list what waits for the reader (answers, approvals, triage), each item a link
# to where they act on it; render_waiting_group() gives them one look. MORE sections come after
# (opportunities that fit them, their teams). Each section runs a constant number of queries:
# the home page asserts its count.

WAITING = "waiting"
MORE = "more"
HomeSection = Callable[[HttpRequest], str]
_home_sections: dict[str, list[tuple[int, HomeSection]]] = {WAITING: [], MORE: []}


def register_home_section(section: HomeSection, *, slot: str, order: int = 100) -> HomeSection:
    sections = _home_sections[slot]
    if all(registered is not section for _order, registered in sections):
        sections.append((order, section))
        sections.sort(key=lambda entry: entry[0])
    return section


def render_home_sections(request: HttpRequest, slot: str) -> list[SafeString]:
    """The HTML of each section of the slot for this reader (empty ones left out)."""
    return [html for _order, section in _home_sections[slot] if (html := section(request))]


@dataclass(frozen=True)
class WaitingItem:
    """One thing to do: `title` links to `url`, where the reader acts on it. `at` (a datetime)
    or `on` (a date) is shown after `when_label` ("closes", "due"), in the reader's time."""

    title: str
    url: str
    note: str = ""
    when_label: str = ""
    at: datetime | None = None
    on: date | None = None


def render_waiting_group(
    request: HttpRequest,
    *,
    key: str,
    heading: str,
    items: list[WaitingItem],
    has_more: bool = False,
    more_url: str = "",
    more_label: str = "",
) -> str:
    """A WAITING section in the home page's common look; "" when there is nothing. `has_more`
    says the items are the first few of a longer list (found at `more_url`)."""
    if not items:
        return ""
    context = {
        "key": key,
        "heading": heading,
        "items": items,
        "has_more": has_more,
        "more_url": more_url,
        "more_label": more_label,
    }
    return render_to_string("members/includes/home_group.html", context, request=request)


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
