"""What every page shows about the reader's sign-in."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest

from accounts.middleware import ROLES_KEY, SECOND_FACTORS
from accounts.roles import labels


def two_factor_demo_notice(request: HttpRequest) -> dict[str, str]:
    """In the embedded demo, two-factor is not required: tell the roles that would need it."""
    if not settings.DEBUG or settings.MFA_REQUIRED:
        return {}
    roles = getattr(request, "session", {}).get(ROLES_KEY)
    match = getattr(request, "resolver_match", None)
    if match and (match.url_name or "").startswith("mfa_"):
        return {}  # already where it is set up
    if not roles or is_mfa_enabled(request.user, types=SECOND_FACTORS):
        return {}
    return {"two_factor_demo_roles": labels(roles)}
