"""One budget of submissions per IP address, shared by the public form and the public API."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from patio.http import client_ip

DEFAULT_RATE = "5/hour"


class HelpRequestThrottle(SimpleRateThrottle):
    """Counts submissions per client address in the cache (setting HELP_REQUEST_RATE).

    Works on a DRF request and on a plain Django request (the form page) alike."""

    scope = "help_request"

    def get_rate(self) -> str:
        return getattr(settings, "HELP_REQUEST_RATE", DEFAULT_RATE)

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
