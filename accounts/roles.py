"""The roles that guard other people's data or money: network admin, circle coordinator,
finance approver, co-op admin. Holding one asks for more of a sign-in: two-factor
authentication (accounts.middleware) and a shorter idle timeout.

Each app says which of its roles count, from its AppConfig.ready(), so this module depends on
no app: `register("coordinator", _("circle coordinator"), is_a_coordinator)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise

RoleCheck = Callable[[Any], bool]
_checks: dict[str, RoleCheck] = {}
_labels: dict[str, Promise | str] = {}


def register(name: str, label: Promise | str, check: RoleCheck) -> None:
    _checks[name] = check
    _labels[name] = label


def labels(names: list[str]) -> str:
    """The roles' names for a person to read, in their language."""
    return ", ".join(str(_labels.get(name, name)) for name in names)


def elevated_roles(user: Any) -> list[str]:
    """The names of the guarding roles this user holds now (empty for everyone else)."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return [name for name, check in _checks.items() if check(user)]
