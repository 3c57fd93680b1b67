"""Every write of conflict resolution: opening a case, moving it, scheduling its meeting, notes,
and forgetting cases (erasure, retention). Each is atomic, checks `mediation.permissions` again,
and is audited as a **confidential** event (`audit_record(confidential=True)`): the record keeps
who and when, shows in no list of the log, and holds only the case's number and states, never
what happened or who is named.

Repeating a write changes nothing: a second move to the state a case already has, or the same
meeting again, records no event. Pages guard their forms with a one-time token too, so a double
POST of a new case or a note makes one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from mediation import permissions, selectors
from mediation.models import Case, CaseEvent, CaseNote, CaseNotice
from mediation.tasks import send_case_notices
from members.models import Person
from members.permissions import person_of
from patio import outbox

if TYPE_CHECKING:
    from accounts.models import AnyUser, User

MAX_INVOLVED = 10


def _audit(actor: AnyUser | None, action: str, case: Case, **after: object) -> None:
    audit_record(actor=actor, action=action, target=case, after=after or None, confidential=True)


def _event(case: Case, kind: str, by: Person | None, tell: Iterable[Person]) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, kind=kind, state=case.state, by=by)
    notices = [CaseNotice(event=event, person=p) for p in tell]
    CaseNotice.objects.bulk_create(notices, ignore_conflicts=True)
    if notices:
        outbox.enqueue(send_case_notices, event.pk)
    return event


def _tell_requester(case: Case, actor_person: Person | None) -> list[Person]:
    requester = case.requester
    if actor_person is not None and requester.pk == actor_person.pk:
        return []
    return [] if requester.erased_at is not None else [requester]


@transaction.atomic
def case_open(
    *, actor: AnyUser, involved: Iterable[Person], what_happened: str, hoped_for: str
) -> Case:
    """A member asks the mediators for help with a conflict. The case goes to every mediator
    who is not named in it; no one named hears of it."""
    if not permissions.can_open_case(actor):
        raise PermissionDenied(_("Only people of the network open a mediation case."))
    person = person_of(actor)
    assert person is not None
    people = list(dict.fromkeys(involved))
    errors: dict[str, str] = {}
    if not people:
        errors["involved"] = _("Name at least one person the conflict is with.")
    elif any(p.pk == person.pk for p in people):
        errors["involved"] = _("Name the others involved, not yourself.")
    elif len(people) > MAX_INVOLVED:
        errors["involved"] = _("Name at most %(count)s people.") % {"count": MAX_INVOLVED}
    elif any(p.erased_at is not None for p in people):
        errors["involved"] = _("One of these people has left the network.")
    if not what_happened.strip():
        errors["what_happened"] = _("Say what happened.")
    if not hoped_for.strip():
        errors["hoped_for"] = _("Say what you hope for.")
    if errors:
        raise ValidationError(errors)
    named = {p.pk for p in people}
    if not permissions.mediators().exclude(pk__in=named | {person.pk}).exists():
        raise ValidationError(
            _(
                "No mediator is free to take this case: every mediator is named in it, or the "
                "network has no mediation circle yet. Please write to the network's admins."
            ),
            code="no_mediator",
        )
    case = Case(requester=person, what_happened=what_happened.strip(), hoped_for=hoped_for.strip())
    case.full_clean(exclude=["involved"])
    case.save()
    case.involved.set(people)
    _event(case, CaseEvent.Kind.OPENED, person, selectors.mediators_to_tell(case))
    _audit(actor, "mediation.case.open", case, state=case.state)
    return case


@transaction.atomic
def case_move(*, actor: AnyUser, case: Case, to_state: str) -> Case:
    """A mediator moves a case on: into mediation, to an agreement, closed without one, or to
    the assembly (its next agenda gets a neutral item, `selectors.agenda_escalations`). The
    requester is told by email that there is news, with a link and nothing more."""
    if to_state not in Case.State.values:
        raise ValidationError({"state": _("Choose a state.")})
    locked = Case.objects.select_for_update().select_related("requester").get(pk=case.pk)
    if locked.state == to_state:
        return locked  # a repeated POST: already done
    if not permissions.can_mediate(actor, locked):
        raise PermissionDenied(_("Only the case's mediators move it."))
    if not permissions.can_move_case(actor, locked, to_state):
        raise ValidationError(
            {
                "state": _("A case that is “%(state)s” cannot move there.")
                % {"state": locked.get_state_display()}
            }
        )
    before = locked.state
    now = timezone.now()
    locked.state = to_state
    fields = ["state", "updated_at"]
    if to_state in Case.ENDED:
        locked.ended_at = now
        fields.append("ended_at")
    if to_state == Case.State.ESCALATED:
        locked.escalated_at = now
        fields.append("escalated_at")
    locked.save(update_fields=fields)
    mediator = person_of(actor)
    _event(locked, CaseEvent.Kind.STATE, mediator, _tell_requester(locked, mediator))
    audit_record(
        actor=actor,
        action="mediation.case.move",
        target=locked,
        before={"state": before},
        after={"state": to_state},
        confidential=True,
    )
    return locked


@transaction.atomic
def case_schedule_meeting(
    *, actor: AnyUser, case: Case, at: datetime, minutes: int = 60, place: str = ""
) -> Case:
    """A mediator sets (or moves) the case's meeting: a time (stored in UTC, shown in each
    reader's zone), how long, and where (a room or a call's link)."""
    locked = Case.objects.select_for_update().select_related("requester").get(pk=case.pk)
    if not permissions.can_schedule_meeting(actor, locked):
        raise PermissionDenied(_("Only the case's mediators schedule its meeting."))
    if timezone.is_naive(at):
        raise ValidationError({"at": _("Give the meeting's time with its timezone.")})
    place = place.strip()
    if (locked.meeting_at, locked.meeting_minutes, locked.meeting_place) == (at, minutes, place):
        return locked  # a repeated POST
    if at < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"at": _("Choose a time that has not passed.")})
    locked.meeting_at, locked.meeting_minutes, locked.meeting_place = at, minutes, place
    try:
        locked.full_clean(exclude=["involved", "requester"])
    except ValidationError as error:
        raise ValidationError(
            {("minutes" if k == "meeting_minutes" else k): v for k, v in error.message_dict.items()}
        ) from error
    locked.save(update_fields=["meeting_at", "meeting_minutes", "meeting_place", "updated_at"])
    mediator = person_of(actor)
    _event(locked, CaseEvent.Kind.MEETING, mediator, _tell_requester(locked, mediator))
    _audit(actor, "mediation.case.meeting", locked, at=at.isoformat())
    return locked


@transaction.atomic
def case_note_add(*, actor: AnyUser, case: Case, body: str) -> CaseNote:
    """A private note on the case, read by its mediators and its requester only."""
    if not permissions.can_write_note(actor, case):
        raise PermissionDenied(_("You may not write on this case."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    author = person_of(actor)
    assert author is not None
    note = CaseNote(case=case, author=author, body=body)
    note.full_clean()
    note.save()
    _audit(actor, "mediation.note.add", case, note=note.pk)
    return note


def _forget(cases: Iterable[Case], *, actor: User | None, reason: str) -> int:
    count = 0
    for case in cases:
        _audit(actor, "mediation.case.forget", case, reason=reason)
        case.delete()
        count += 1
    return count


def cases_forget_for_erasure(*, person: Person, actor: User) -> int:
    """Erasure (privacy.hooks): the cases a person asked for are theirs, and go with them. The
    cases that name them stay for their requesters, pointing at the "Former member" the erasure
    leaves; their notes stay too, under that name. Runs inside `person_erase`'s transaction."""
    return _forget(
        Case.objects.filter(requester=person).order_by("id"), actor=actor, reason="erasure"
    )


@transaction.atomic
def cases_forget_ended(*, now: datetime | None = None) -> int:
    """Retention: a case that ended `MEDIATION_RETENTION_MONTHS` ago is forgotten, notes and
    all. Its confidential audit events stay, holding only its number and states."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=30 * settings.MEDIATION_RETENTION_MONTHS)
    due = Case.objects.filter(ended_at__lt=cutoff).select_for_update().order_by("id")
    return _forget(due, actor=None, reason="retention")
