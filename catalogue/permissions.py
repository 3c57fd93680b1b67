"""Who may do what in the technology catalogue. Pages and the API both ask these functions.

- Everyone reads published entries; people of the network read drafts too.
- People of the network (and network admins) add entries.
- An entry is edited by the person who added it, the admins of the co-ops that make it, and
  network admins.
- A co-op is listed as a provider or a user of an entry by its own admins (or network admins),
  who also change or remove that listing.
- A person of a member co-op names themselves as a maintenance contact (their agreement), and
  takes themselves off; an entry's editors take a contact off too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from members.permissions import is_coop_admin_of, is_member, is_network_admin, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser, User
    from catalogue.models import Software
    from members.models import Organisation


def can_view_software(user: AnyUser | None, software: Software) -> bool:
    return software.is_published or is_member(user)


def can_add_software(user: AnyUser | None) -> TypeGuard[User]:
    return is_member(user)


def can_edit_software(user: AnyUser | None, software: Software) -> TypeGuard[User]:
    if is_network_admin(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    if software.created_by_id is not None and software.created_by_id == person.pk:
        return True
    if not person.is_coop_admin:
        return False
    return any(maker.pk == person.organisation_id for maker in software.makers.all())


def can_list_coop(user: AnyUser | None, organisation: Organisation) -> TypeGuard[User]:
    """List `organisation` as a provider or user of an entry, or change or remove that."""
    return is_network_admin(user) or is_coop_admin_of(user, organisation)


def listable_coop(user: AnyUser | None) -> Organisation | None:
    """The co-op a person lists on an entry's page: their own, if they are its admin."""
    person = person_of(user)
    if person is not None and person.is_coop_admin:
        return person.organisation
    return None


def can_list_self_as_contact(user: AnyUser | None, software: Software) -> TypeGuard[User]:
    """A person of a member co-op names themselves as a maintenance contact of an entry they
    can read (`services.contact_add`; network admins may also record someone's agreement)."""
    person = person_of(user)
    if person is None or person.erased_at is not None:
        return False
    return person.organisation.status == "member" and can_view_software(user, software)
