"""What a request tells us, read one way everywhere: who is on the other end (client_ip), and
where it may send the reader next (safe_next); and the request as our middleware leaves it, for
the type checker (PatioRequest).

client_ip serves the API throttles, the login throttle and the public form alike.
Behind `TRUSTED_PROXY_COUNT` proxies of our own, the client is the address the outermost of them
saw: that many entries from the right of `X-Forwarded-For`. With no proxies declared the header
is ignored, since anyone can send it and pick a fresh address for every request.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class PatioRequest(HttpRequest):
    """What a view receives: Django's request, plus what the middleware adds to it.

    Never made: views annotate `request: PatioRequest` to read these attributes typed."""

    htmx: HtmxDetails  # django_htmx's HtmxMiddleware
    timezone_name: str  # the reader's IANA zone, from the preferences middleware


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    # A shorter header than the proxies we declared: each entry was still written by one of them.
    candidate = addresses[max(0, len(addresses) - proxies)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the `next` it carried (posted, else in the query) when that is a
    path on this site, else `default`. Never another host, nor a scheme like javascript:."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default
