"""Who may do what in the directory. Views and the API both ask these functions."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from accounts.models import User
from members.models import Organisation, Person, Visibility
from patio.permissions import is_network_admin as is_network_admin  # the rule lives in patio

if TYPE_CHECKING:
    from accounts.models import AnyUser

# A check that can pass only for a signed-in user says so as a TypeGuard[User]: after
# `if not can_x(actor, …): raise PermissionDenied` the type checker knows the actor is a User.


def person_of(user: AnyUser | None) -> Person | None:
    if not (isinstance(user, User) and user.is_active):  # a visitor is an AnonymousUser
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_member(user: AnyUser | None) -> TypeGuard[User]:
    """Logged in, active, and either a person of the network or a network admin."""
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or person_of(user) is not None


def is_coop_admin_of(user: AnyUser | None, organisation: Organisation) -> TypeGuard[User]:
    person = person_of(user)
    return bool(person and person.is_coop_admin and person.organisation_id == organisation.pk)


def can_view_organisation(user: AnyUser | None, organisation: Organisation) -> bool:
    return organisation.is_public or is_member(user)


def can_edit_organisation(user: AnyUser | None, organisation: Organisation) -> TypeGuard[User]:
    return is_network_admin(user) or is_coop_admin_of(user, organisation)


def can_invite_to(user: AnyUser | None, organisation: Organisation) -> TypeGuard[User]:
    return can_edit_organisation(user, organisation)


def can_invite_new_coop(user: AnyUser | None) -> TypeGuard[User]:
    return is_network_admin(user)


def can_download_directory(user: AnyUser | None) -> TypeGuard[User]:
    """The co-op and people directories as CSV, as filtered: the network's members (and network
    admins). Visitors read the public pages, and partner tools the API."""
    return is_member(user)


def can_view_person(user: AnyUser | None, person: Person) -> bool:
    if person.profile_visibility == Person.ProfileVisibility.PUBLIC:
        return person.organisation.is_public or is_member(user)
    return is_member(user)


def can_edit_person(user: AnyUser | None, person: Person) -> TypeGuard[User]:
    own = person_of(user)
    return bool(own and own.pk == person.pk) or is_network_admin(user)


def can_set_coop_admin(user: AnyUser | None, person: Person) -> bool:
    """Makes `person` an admin of their co-op, or not: that co-op's admins and network admins."""
    return is_network_admin(user) or is_coop_admin_of(user, person.organisation)


def visible_contact_fields(user: AnyUser | None, person: Person) -> set[str]:
    """The contact fields of `person` that `user` may read."""
    own = person_of(user)
    if own is not None and own.pk == person.pk:
        return set(Person.CONTACT_FIELDS)
    allowed = {Visibility.PUBLIC}
    if is_member(user):
        allowed.add(Visibility.MEMBERS)
    return {f for f in Person.CONTACT_FIELDS if person.field_visibility(f) in allowed}


def can_manage_tokens(user: AnyUser | None) -> TypeGuard[User]:
    return is_network_admin(user)
