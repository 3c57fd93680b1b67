"""Slots that apps above members fill (members imports none of them): sections of a person's
page, of a co-op's page and of the member's home, the co-op's documents at other addresses, and
what happens when someone joins by an invitation an app sent.

An app registers a section in its AppConfig.ready():

    from members.hooks import register_person_section
    register_person_section(my_section)  # my_section(request, person) -> str (HTML) or ""

The person page renders every registered section, in registration order. The slots themselves
are `patio.hooks.Slot`s: `person_page`, and `home_slots` for the member's home."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.template.loader import render_to_string

from patio.hooks import Section, Slot

if TYPE_CHECKING:
    from members.models import Invitation, Organisation, Person

person_page: Slot[[Person]] = Slot("person page")
# Sections of a co-op's page, after its details (each: (request, organisation) -> HTML or "").
organisation_page: Slot[[Organisation]] = Slot("co-op page")


def register_person_section(section: Section[[Person]]) -> Section[[Person]]:
    return person_page.register(section)


def render_person_sections(request: HttpRequest, person: Person) -> list[str]:
    """The HTML of each registered section for this person and reader (empty ones left out).

    Each section must run a constant number of queries."""
    return person_page.render(request, person)


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
home_slots: dict[str, Slot[[]]] = {
    WAITING: Slot("member's home: what waits"),
    MORE: Slot("member's home: more"),
}


def register_home_section(section: Section[[]], *, slot: str, order: int = 100) -> Section[[]]:
    return home_slots[slot].register(section, order=order)


def render_home_sections(request: HttpRequest, slot: str) -> list[str]:
    """The HTML of each section of the slot for this reader (empty ones left out)."""
    return home_slots[slot].render(request)


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
InvitationAccepted = Callable[["Invitation", "Person"], None]
InvitationNote = Callable[["Invitation"], list[str]]  # lines for the landing page
_accepted: list[InvitationAccepted] = []
_notes: list[InvitationNote] = []


def register_invitation_accepted(callback: InvitationAccepted) -> InvitationAccepted:
    """`callback(invitation, person)` runs inside the transaction that accepts the invitation:
    when it raises, the account is not created either."""
    if callback not in _accepted:
        _accepted.append(callback)
    return callback


def invitation_accepted(invitation: Invitation, person: Person) -> None:
    for callback in _accepted:
        callback(invitation, person)


def register_invitation_note(note: InvitationNote) -> InvitationNote:
    """`note(invitation)` returns plain-text lines the invitation's landing page shows."""
    if note not in _notes:
        _notes.append(note)
    return note


def invitation_notes(invitation: Invitation) -> list[str]:
    return [line for note in _notes for line in note(invitation)]


# A co-op's documents at other addresses ------------------------------------------------------
@dataclass(frozen=True)
class Alternate:
    """The same co-op as another kind of document at its own address (its Murmurations profile):
    linked from its page's head and body, and named in its JSON-LD. `schema` is the URL of the
    schema the document follows."""

    href: str  # absolute, on SITE_URL
    media_type: str
    title: str
    schema: str = ""


AlternateSource = Callable[["Organisation"], "Alternate | None"]
_alternates: list[AlternateSource] = []


def register_organisation_alternate(source: AlternateSource) -> AlternateSource:
    """`source(organisation)` gives a public co-op's document, or None; it must run no query."""
    if source not in _alternates:
        _alternates.append(source)
    return source


def organisation_alternates(organisation: Organisation) -> list[Alternate]:
    """The documents of a public co-op, in registration order."""
    found = (source(organisation) for source in _alternates)
    return [alternate for alternate in found if alternate is not None]
