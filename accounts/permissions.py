"""Who may manage accounts' API tokens. The admin site, the API and the services ask this."""

from __future__ import annotations


def can_manage_tokens(user) -> bool:
    """Network admins (active staff) create, see and revoke every API token."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
