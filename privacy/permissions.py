"""Who may download or erase whose data. Views ask these functions; services check them again."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from accounts.models import User
from members.models import Person
from members.permissions import is_coop_admin_of, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser


def has_left(person: Person) -> bool:
    """Whether a person has left their co-op.

    The directory records no "left" state on a person: a co-op's leaving is its status (`left`,
    with `left_on`), and a person who leaves has their login closed (`User.is_active` off), which
    already takes them out of everything a member sees (`members.permissions.person_of`). So a
    person has left when they have a login and it is closed. Someone listed without a login has
    not left by this rule: their co-op admin edits or removes the listing instead."""
    return person.user_id is not None and person.user is not None and not person.user.is_active


def can_erase(user: AnyUser | None, person: Person) -> TypeGuard[User]:
    """A person erases their own account; a co-op admin erases a person of their co-op who has
    left (never themselves through that door, and never someone still active)."""
    own = person_of(user)
    if own is not None and own.pk == person.pk:
        return True
    return is_coop_admin_of(user, person.organisation) and has_left(person)


def can_download_own_data(user: AnyUser | None) -> TypeGuard[User]:
    return person_of(user) is not None
