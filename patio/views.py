from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from patio import design, health, metrics
from patio.api import problem_response
from patio.permissions import can_view_styleguide

log = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database did not answer: a restart or a failover.
DATABASE_RETRY_AFTER = 5
# What a dropped or refused database connection raises (psycopg's errors, as Django wraps them).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every part answers (`patio.health`), 503 naming each one that does not."""
    results = health.run_checks()
    healthy = all(result.ok for result in results.values())
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {name: result.as_json() for name, result in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics (`patio.metrics`), for the token or loopback only: to anyone else
    the address does not exist."""
    if not metrics.allowed(request):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(400, "bad-request", _("Your request could not be processed."))
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(403, "permission-denied", _("You are not allowed to do this."))
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(404, "not-found", _("Not found."))
    return render(request, "404.html", status=404)


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """A 503 with Retry-After (problem JSON under /api/, a plain page elsewhere) when the database
    dropped the connection or refused it. The request's transaction was rolled back with the
    connection, so nothing of it was saved, and repeating it is safe."""
    log.error("database unavailable: %s", type(exception).__name__, exc_info=exception)
    response: HttpResponse
    if _is_api(request):
        response = problem_response(
            503,
            "database-unavailable",
            _("The service is briefly unavailable."),
            _("Nothing was saved. Send the request again in a few seconds."),
        )
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def error_500(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its `except`: an error raised outside a view (a
    # middleware reading the session) is still the database's, and still a 503.
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exception)
    if _is_api(request):
        return problem_response(500, "server-error", _("Something went wrong on our side."))
    return render(request, "500.html", status=500)


def favicon(request: HttpRequest) -> HttpResponse:
    """The icon's static URL carries its hash in production, so it is looked up per request."""
    return HttpResponsePermanentRedirect(static("icon.svg"))


@login_required
def styleguide(request: HttpRequest) -> HttpResponse:
    """Every token and component of the design system, drawn by the parts the pages use, for
    network admins (issue 17)."""
    if not can_view_styleguide(request.user):
        raise PermissionDenied
    # Real messages, one of each level, so base.html shows them above the page as it shows any.
    for level, text in (
        (messages.INFO, _("Info: something the reader may like to know.")),
        (messages.SUCCESS, _("Success: what the reader asked for is done.")),
        (messages.WARNING, _("Warning: done, but the reader should check something.")),
        (messages.ERROR, _("Error: nothing was done, and this says why.")),
    ):
        messages.add_message(request, level, text)
    css = design.stylesheet()
    context = {
        "stylesheet": design.STYLESHEET,
        "groups": design.token_groups(css),
        "contrasts": design.contrasts(css),
        "decorative": design.DECORATIVE,
        "form": design.sample_form(request.GET.dict()),
        "chart": design.sample_chart(),
        "rows": design.sample_rows(),
        "page": design.sample_page(request.GET.get("page")),
    }
    return render(request, "patio/styleguide.html", context)


@login_required
def styleguide_samples(request: HttpRequest) -> HttpResponse:
    """The rules that paint the styleguide's samples through their tokens: the site allows no
    inline style, and rules written from the sheet's own tokens cannot drift from it."""
    if not can_view_styleguide(request.user):
        raise PermissionDenied
    css = design.stylesheet()
    context = {"groups": design.token_groups(css), "contrasts": design.contrasts(css)}
    return render(
        request, "patio/styleguide_samples.css", context, content_type="text/css; charset=utf-8"
    )


# What crawlers should leave alone: sign-in and account pages, one's own pages and links that
# act (join, unsubscribe, invitations), the admin, the API (partners read it with a token; its
# public objects are on the pages too, as JSON-LD) and the service endpoints.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/api/",
    "/me/",
    "/join/",
    "/emails/",
    "/team-invitations/",
    "/team-memberships/",
    "/opportunities/mine/",
    "/projects/mine/",
    "/i18n/",
    "/healthz",
    "/metrics",
)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
