"""API authentication: `Authorization: Bearer <token>` for partner tools, scoped read or write."""

from __future__ import annotations

import hmac

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from accounts.models import ApiToken
from accounts.services import token_touch
from audit.context import set_token_in_use
from patio.api import RateLimitReportMixin
from patio.http import client_ip


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        parts = raw.split("_")
        if len(parts) < 3 or parts[0] != "patio":
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        if token is None or not hmac.compare_digest(token.secret_hash, ApiToken.hash_secret(raw)):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_usable:
            raise exceptions.AuthenticationFailed(_("This token has expired or was revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("The account behind this token is deactivated.")
            )
        token_touch(token)
        # The audit events this request writes name the token as well as its user.
        set_token_in_use(token.pk, token.prefix)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TokenScopePermission(permissions.BasePermission):
    """Reads are open (querysets are scoped to the caller); writes need a login or a write token."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            self.message = _("Authentication is required.")
            return False
        if isinstance(request.auth, ApiToken):
            return request.auth.allows_write()
        return True


class ClientAddressMixin:
    """Count callers by the address patio.http.client_ip reads, as the login throttle does."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonRateThrottle(RateLimitReportMixin, ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class TokenRateThrottle(RateLimitReportMixin, throttling.SimpleRateThrottle):
    """One budget per token, whoever holds it."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class SessionUserRateThrottle(
    RateLimitReportMixin, ClientAddressMixin, throttling.UserRateThrottle
):
    """Per-user budget for browser sessions; token calls are counted by TokenRateThrottle, and
    anonymous callers by AnonRateThrottle alone (DRF's would count them here too, by address)."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token you made (a network admin makes a bot account's): "
            "`Authorization: Bearer patio_…`.",
        }
