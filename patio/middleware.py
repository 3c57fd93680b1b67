"""Middleware every app shares."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from patio import metrics
from patio.security_log import security_event
from patio.views import error_404


class RequestMetricsMiddleware:
    """Times every answer for `/metrics` (`patio.metrics.REQUEST_SECONDS`). First in the list,
    so the time covers every other middleware too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe_request(request, response, time.perf_counter() - started)
        return response


class SiteNotFoundMiddleware:
    """The site's own 404 page in development too.

    With DEBUG on, Django answers a 404 with its technical page, which lists every URL pattern of
    the site. The demo (`make run`) runs with DEBUG on, so a visitor opening a members-only
    profile would meet that listing. This middleware sends 404s through the site's handler
    whenever DEBUG is on, unless DEBUG_TECHNICAL_404=1 asks for Django's page; 500s keep Django's
    debug page in development, where it helps the person fixing the bug. With DEBUG off it does
    nothing: Django already uses `handler404`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return bool(settings.DEBUG and not settings.DEBUG_TECHNICAL_404)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            # An address that matches no URL never reaches a view (nor process_exception).
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return error_404(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and self._active():
            return error_404(request, exception)
        return None


class PrivateByDefaultMiddleware:
    """Every page and API answer is `Cache-Control: private, no-store` unless its view says
    otherwise: most carry someone's name, co-op or money, and a shared computer's browser cache
    or a proxy must not keep them. Static files are served before this runs (WhiteNoise) and
    keep their long-lived caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class SecurityEventsMiddleware:
    """Logs what is only seen on the answer (`patio.security_log`): refusals (401, 403, CSRF
    included), throttling (429) and every request made with an API token. Placed after the
    authentication middleware, so the user is known; DRF sets `request.auth` to the token."""

    EVENTS = {401: "access.unauthenticated", 403: "access.denied", 429: "access.throttled"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "prefix"):
            security_event(
                "token.used",
                request,
                token_id=token.pk,
                token_prefix=token.prefix,
                status=response.status_code,
            )
        event = self.EVENTS.get(response.status_code)
        if event:
            security_event(event, request, status=response.status_code)
        return response
