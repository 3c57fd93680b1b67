"""Middleware every app shares."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

from patio import metrics
from patio.api import problem_response
from patio.i18n import LANGUAGE_QUERY_PARAMETER, query_language
from patio.security_log import security_event
from patio.views import DATABASE_UNAVAILABLE, database_unavailable, error_404

API_PREFIX = "/api/"


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


class ApiPathMiddleware:
    """Addresses under /api/ are read one way whatever DEBUG says.

    An API path without its trailing slash is served as if it had it (`POST /api/v1/skills`
    creates a skill): Django's APPEND_SLASH would answer a 301, which clients follow with a GET
    and no body (and with DEBUG on, a POST raises a 500). A path that matches nothing, with or
    without the slash, is a 404 problem JSON, never a page or Django's URL listing. Placed
    before CommonMiddleware, which then finds nothing to redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        urlconf = getattr(request, "urlconf", None)
        try:
            resolve(request.path_info, urlconf)
        except Resolver404:
            slashed = request.path_info + "/"
            if request.path_info.endswith("/") or not _resolves(slashed, urlconf):
                return problem_response(404, "not-found", _("Not found."))
            request.path_info = slashed
            request.path = request.path + "/"
        return self.get_response(request)


def _resolves(path: str, urlconf: str | None) -> bool:
    try:
        resolve(path, urlconf)
    except Resolver404:
        return False
    return True


class ApiHeadersMiddleware:
    """What every API answer tells partner tools in its headers, set in one place:

    - `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF draft
      ratelimit-headers): the tightest budget among the throttles that counted the request
      (patio.api.RateLimitReportMixin);
    - on a successful read, a weak `ETag` from the body and, when the view read one row with an
      `updated_at`, `Last-Modified`; `If-None-Match` / `If-Modified-Since` then get a 304."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX):
            return response
        reports = getattr(request, "patio_rate_limits", None)
        if reports:
            limit, remaining, reset = min(reports, key=lambda report: (report[1], -report[2]))
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
        if request.method in {"GET", "HEAD"} and response.status_code == 200:
            response = self._conditional(request, response)
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.streaming or not isinstance(response, HttpResponse):
            return response
        if not response.has_header("ETag"):
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            response["ETag"] = f'W/"{digest}"'
        stamp = getattr(request, "patio_last_modified", None)
        last_modified = None
        if stamp is not None:
            last_modified = int(stamp.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        if conditional is None:
            return response
        if conditional.status_code == 412:  # If-Match / If-Unmodified-Since that doesn't hold
            return problem_response(
                412,
                "precondition-failed",
                _("The record has changed."),
                _("It no longer matches If-Match or If-Unmodified-Since. Fetch it again."),
            )
        if conditional is not response:
            # 304 keeps the headers a cache needs to refresh what it holds.
            for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Vary"):
                if response.has_header(name):
                    conditional[name] = response[name]
        return conditional


class ReadOnlyCorsMiddleware(CorsMiddleware):
    """CORS for the API's reads only (django-cors-headers, configured by API_CORS_ORIGINS): a
    browser app on an allowed origin may GET with a bearer token, never write, and never with
    the reader's cookies (CORS_ALLOW_CREDENTIALS stays off). Without this, a simple cross-origin
    POST would still carry Access-Control-Allow-Origin and let the page read the answer."""

    def add_response_headers(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.method not in SAFE_METHODS:
            return response
        return super().add_response_headers(request, response)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


class DatabaseUnavailableMiddleware:
    """A view (or the API, whose handler leaves these errors alone) that loses its database
    connection answers 503 with Retry-After, not 500: the request may be sent again as it is.
    Last in the list, so it sees the exception first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


class LanguageFromQueryMiddleware:
    """`?lang=xx` shows one page in that site language (patio.i18n.alternates), for that request
    only: the address each hreflang link gives. After the preferences middleware, so the address
    wins over a signed-in person's own language, and before anything renders. An unknown value
    is ignored rather than refused: it is a link someone followed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = query_language(request.GET.get(LANGUAGE_QUERY_PARAMETER))
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
