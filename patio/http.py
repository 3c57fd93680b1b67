"""The request as our middleware leaves it, for the type checker."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class PatioRequest(HttpRequest):
    """What a view receives: Django's request, plus what the middleware adds to it.

    Never made: views annotate `request: PatioRequest` to read these attributes typed."""

    htmx: HtmxDetails  # django_htmx's HtmxMiddleware
    timezone_name: str  # the reader's IANA zone, from the preferences middleware
