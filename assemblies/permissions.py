"""Who may do what with assemblies: plain functions used by pages and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assemblies.models import Assembly
from circles.permissions import is_coordinator
from members.permissions import is_member, is_network_admin, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser


def can_view_assemblies(user: AnyUser | None) -> bool:
    """Assemblies are the network's own business: members and network admins."""
    return is_member(user)


def can_schedule(user: AnyUser | None) -> bool:
    """Only network admins schedule, move or cancel assemblies."""
    return is_network_admin(user)


def _holds(user: AnyUser | None, assembly: Assembly, *fields: str) -> bool:
    person = person_of(user)
    return person is not None and any(getattr(assembly, f"{f}_id") == person.pk for f in fields)


def can_run(user: AnyUser | None, assembly: Assembly) -> bool:
    """Facilitator and note-taker record minutes, attendance, decisions and actions."""
    if assembly.status == Assembly.Status.CANCELLED:
        return False
    return is_network_admin(user) or _holds(user, assembly, "facilitator", "note_taker")


def can_record(user: AnyUser | None, assembly: Assembly) -> bool:
    """Whether the user may write the record now: minutes and action items before the assembly
    closes. Once it is closed the record is frozen (see `can_correct`)."""
    return can_run(user, assembly) and not assembly.is_over


def can_record_meeting(user: AnyUser | None, assembly: Assembly) -> bool:
    """Attendance and decisions happen in the meeting: only while it is open."""
    return can_run(user, assembly) and assembly.status == Assembly.Status.OPEN


def can_decide_without_quorum(user: AnyUser | None, assembly: Assembly) -> bool:
    """Only the facilitator (or an admin standing in) may record a decision without quorum."""
    return can_record_meeting(user, assembly) and (
        is_network_admin(user) or _holds(user, assembly, "facilitator")
    )


def can_correct(user: AnyUser | None, assembly: Assembly) -> bool:
    """A closed assembly's record is corrected, never edited: by its facilitator, its
    note-taker or a network admin."""
    if assembly.status != Assembly.Status.CLOSED:
        return False
    return is_network_admin(user) or _holds(user, assembly, "facilitator", "note_taker")


def can_edit_agenda(user: AnyUser | None, assembly: Assembly) -> bool:
    """The facilitator builds, reorders and edits the agenda (admins stand in)."""
    if assembly.is_over:
        return False
    return is_network_admin(user) or _holds(user, assembly, "facilitator")


def can_post_update(user: AnyUser | None, assembly: Assembly, circle) -> bool:
    if assembly.is_over:
        return False
    return is_network_admin(user) or is_coordinator(user, circle)


def can_rsvp(user: AnyUser | None, assembly: Assembly) -> bool:
    return person_of(user) is not None and assembly.status == Assembly.Status.PLANNED


def can_propose(user: AnyUser | None, assembly: Assembly) -> bool:
    return person_of(user) is not None and not assembly.is_over


def can_update_action(user: AnyUser | None, action) -> bool:
    """The owner ticks their action off; whoever records the assembly may too."""
    person = person_of(user)
    if person is not None and person.pk == action.owner_id:
        return True
    return can_run(user, action.assembly)
