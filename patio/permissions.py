"""Who may do what with the site's own pages (the styleguide): plain functions, as in every app.

`is_network_admin` lives here, at the bottom of the layers, because it reads only the user's own
flags: patio's pages need it and patio knows no app. `members.permissions` offers the same
function, so the apps keep asking it there."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from accounts.models import AnyUser, User


def is_network_admin(user: AnyUser | None) -> TypeGuard[User]:
    """A network admin: a signed-in, active user with `is_staff`."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def can_view_styleguide(user: AnyUser | None) -> TypeGuard[User]:
    """The styleguide is a tool for the people who build and run the site: network admins."""
    return is_network_admin(user)
