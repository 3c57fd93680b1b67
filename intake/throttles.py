"""One budget of submissions per IP address, shared by the public form and the public API, and a
larger one per account for signed-in partners (a partner tool forwarding requests it collected).

Only accepted submissions spend it: the throttle checks the budget before the work and `spend()`
counts the request once it was stored, so a form with a typo or a 400 costs nothing."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from patio.api import RateLimitReportMixin, report_rate_limit
from patio.http import client_ip

DEFAULT_RATE = "5/hour"
DEFAULT_PARTNER_RATE = "100/hour"


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


class HelpRequestThrottle(RateLimitReportMixin, SimpleRateThrottle):
    """Counts accepted submissions in the cache: per client address (setting HELP_REQUEST_RATE),
    or per account for a signed-in caller (HELP_REQUEST_PARTNER_RATE).

    Works on a DRF request and on a plain Django request (the form page) alike."""

    scope = "help_request"

    def get_rate(self) -> str:
        return getattr(settings, "HELP_REQUEST_RATE", DEFAULT_RATE)

    def allow_request(self, request, view) -> bool:
        if _signed_in(request):
            self.rate = getattr(settings, "HELP_REQUEST_PARTNER_RATE", DEFAULT_PARTNER_RATE)
        else:
            self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self._request = request
        return super().allow_request(request, view)

    def throttle_success(self) -> bool:
        # Checked, not spent: spend() counts the submission once it is accepted.
        return True

    def spend(self) -> None:
        """Count the submission the checked request made."""
        if not getattr(self, "key", None) or self.num_requests is None or not self.duration:
            return
        history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        history.insert(0, self.now)
        self.cache.set(self.key, history, self.duration)
        report_rate_limit(self._request, self.num_requests, history, self.now, self.duration)

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view) -> str:
        ident = f"user-{request.user.pk}" if _signed_in(request) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
