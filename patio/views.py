from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from patio import health, metrics
from patio.api import problem_response


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


def error_500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem_response(500, "server-error", _("Something went wrong on our side."))
    return render(request, "500.html", status=500)
