"""Who may do what with mediation cases. Pages ask these functions, and the selectors apply the
same rule to lists (`selectors.cases_readable_by`).

- **Mediators** are the current members of an active circle that mediates conflicts
  (`Circle.handles_conflicts`, set by network admins).
- **Reading a case**: its requester, and every mediator who is not named in it. A person named
  in a case never reads it, whatever else they are (a mediator, the network's admin).
- **Moving a case, scheduling its meeting**: a mediator who may read it and did not open it.
- **Writing a note**: whoever may read the case, until it ends.
- Being a network admin gives nothing here: a conflict is read by those who mediate it and the
  person who brought it, and an admin who should mediate joins the circle.
"""

from __future__ import annotations

from typing import TypeGuard

from django.db.models import QuerySet

from accounts.models import AnyUser, User
from circles.models import Circle, CircleMembership
from mediation.models import Case
from members.models import Person
from members.permissions import person_of


def mediator_memberships() -> QuerySet[CircleMembership]:
    return CircleMembership.objects.current().filter(
        circle__handles_conflicts=True, circle__status=Circle.Status.ACTIVE
    )


def mediators() -> QuerySet[Person]:
    """Everyone who mediates today (erased people excepted)."""
    ids = mediator_memberships().values("person_id")
    return Person.objects.filter(pk__in=ids, erased_at__isnull=True)


def is_mediator(user: AnyUser | None) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and mediator_memberships().filter(person=person).exists()


def can_open_case(user: AnyUser | None) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and person.erased_at is None


def is_involved(person: Person | None, case: Case) -> bool:
    return person is not None and case.involved.filter(pk=person.pk).exists()


def can_read_case(user: AnyUser | None, case: Case) -> TypeGuard[User]:
    person = person_of(user)
    if person is None or is_involved(person, case):
        return False
    return case.requester_id == person.pk or is_mediator(user)


def can_mediate(user: AnyUser | None, case: Case) -> TypeGuard[User]:
    person = person_of(user)
    if person is None or case.requester_id == person.pk:
        return False
    return is_mediator(user) and not is_involved(person, case)


def can_move_case(user: AnyUser | None, case: Case, to_state: str) -> TypeGuard[User]:
    return to_state in case.next_states() and can_mediate(user, case)


def can_schedule_meeting(user: AnyUser | None, case: Case) -> TypeGuard[User]:
    return not case.is_ended and can_mediate(user, case)


def can_write_note(user: AnyUser | None, case: Case) -> TypeGuard[User]:
    return not case.is_ended and can_read_case(user, case)
