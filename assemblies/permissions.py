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


# Delegated votes --------------------------------------------------------------------------------
def can_delegate(user: AnyUser | None, assembly: Assembly) -> bool:
    """A person gives (or revokes) their own vote's delegation until the assembly is over; the
    service checks the rest (an active member, one step, the limit, not used yet)."""
    return person_of(user) is not None and assembly.status in {
        Assembly.Status.PLANNED,
        Assembly.Status.OPEN,
    }


# Minutes approved by those present --------------------------------------------------------------
def can_publish_minutes(user: AnyUser | None, assembly: Assembly) -> bool:
    """The note-taker publishes the draft minutes of a closed assembly (admins stand in)."""
    if assembly.status != Assembly.Status.CLOSED:
        return False
    return is_network_admin(user) or _holds(user, assembly, "note_taker")


def can_suggest_correction(user: AnyUser | None, assembly: Assembly, minutes) -> bool:
    """Those present suggest corrections while the draft is open for them."""
    from django.utils import timezone

    person = person_of(user)
    if person is None or minutes is None or not minutes.window_open(timezone.now()):
        return False
    return assembly.attendances.filter(person=person).exists()


def can_decide_corrections(user: AnyUser | None, assembly: Assembly, minutes) -> bool:
    """The facilitator accepts or rejects suggestions, and approves the minutes, until they are
    approved (admins stand in)."""
    if minutes is None or minutes.is_approved or assembly.status != Assembly.Status.CLOSED:
        return False
    return is_network_admin(user) or _holds(user, assembly, "facilitator")


# Rotation ---------------------------------------------------------------------------------------
def can_volunteer(user: AnyUser | None) -> bool:
    return person_of(user) is not None


def can_confirm_rotation(user: AnyUser | None, assembly: Assembly) -> bool:
    """Admins confirm who facilitates and takes notes (as they schedule)."""
    return can_schedule(user) and assembly.status == Assembly.Status.PLANNED
