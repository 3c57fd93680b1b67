"""Where a webhook may go, and the one HTTP request that takes it there.

A target URL is given by a partner, so the platform must not become their way into our own
network (server-side request forgery). WEBHOOK_TARGETS decides:

- `public` (production): only `https://` URLs whose host is, and resolves only to, public
  addresses. Loopback, private, link-local (cloud metadata), shared, multicast and reserved
  addresses are refused, IPv4-mapped IPv6 included.
- `loopback` (the embedded demo and the tests, the default with DEBUG): only this machine,
  `http://` or `https://` to 127.0.0.0/8, ::1 or `localhost`, so nothing ever leaves it.

The URL is checked when the subscription is made and again at every attempt: the name is
resolved, every address it gives must be allowed, and the connection goes to the address that
was checked (the TLS certificate is still verified against the name), so a name that changes
its answer between the check and the connection (DNS rebinding) gains nothing. Redirects are
not followed: a 3xx is a failed attempt.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PUBLIC = "public"
LOOPBACK = "loopback"
MODES = (PUBLIC, LOOPBACK)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# What an attempt keeps of the answer: enough to tell an error page from a JSON error.
EXCERPT_BYTES = 500


class TargetRefused(Exception):
    """The target may not be reached: its message says why, for the attempt's log."""


def mode() -> str:
    return str(settings.WEBHOOK_TARGETS)


def _allowed(address: IPAddress, target_mode: str) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if target_mode == LOOPBACK:
        return address.is_loopback
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str) -> str:
    """The URL, if a subscription may point at it; a ValidationError on `url` says why not."""
    target_mode = mode()
    parts = urlsplit(url.strip())
    schemes = ("https",) if target_mode == PUBLIC else ("https", "http")
    if parts.scheme not in schemes:
        raise ValidationError(
            {"url": _("The URL must start with https://.")}
            if target_mode == PUBLIC
            else {"url": _("The URL must start with http:// or https://.")},
            code="scheme",
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            {"url": _("Put no user name or password in the URL: deliveries are signed.")},
            code="credentials",
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValidationError({"url": _("The URL has no host.")}, code="host")
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        raise ValidationError({"url": _("The URL's port is not a number.")}, code="port") from None
    if parts.fragment:
        raise ValidationError({"url": _("Leave out the #fragment.")}, code="fragment")
    try:
        addresses(host)
    except TargetRefused as refusal:
        raise ValidationError({"url": str(refusal)}, code="address") from None
    return parts.geturl()


def addresses(host: str, port: int = 443) -> list[IPAddress]:
    """The addresses `host` stands for, each of them allowed; TargetRefused otherwise."""
    target_mode = mode()
    literal = _literal(host)
    if literal is not None:
        found = [literal]
    elif target_mode == LOOPBACK and host != "localhost":
        raise TargetRefused(
            _("Here webhooks go only to this machine: use 127.0.0.1, ::1 or localhost.")
        )
    elif target_mode == PUBLIC and (host == "localhost" or host.endswith(".localhost")):
        raise TargetRefused(_("This address is not on the public internet."))
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise TargetRefused(_("This host name could not be found.")) from None
        found = []
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if address not in found:
                found.append(address)
    if not found:
        raise TargetRefused(_("This host name could not be found."))
    if not all(_allowed(address, target_mode) for address in found):
        raise TargetRefused(
            _("This address is not on the public internet.")
            if target_mode == PUBLIC
            else _("Here webhooks go only to this machine: use 127.0.0.1, ::1 or localhost.")
        )
    return found


@dataclass(frozen=True)
class Answer:
    """How one attempt went: the receiver's status and the start of its body, or an error."""

    status: int | None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to now."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, over TLS; the certificate is verified against the host's name."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _clean(text: str) -> str:
    # PostgreSQL text holds no NUL; other control characters say nothing to a reader.
    return "".join(c if c.isprintable() or c in "\n\t" else " " for c in text).strip()


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url` once, to an allowed address, without following redirects; never
    raises for what the network or the receiver does (the answer says it)."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    host = (parts.hostname or "").rstrip(".")
    try:
        address = addresses(host, port)[0]
    except TargetRefused as refusal:
        return Answer(None, error=str(refusal), duration_ms=took())
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(
        host, port, address=str(address), timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        return Answer(response.status, excerpt=_clean(excerpt)[:EXCERPT_BYTES], duration_ms=took())
    except (OSError, http.client.HTTPException) as error:
        # Timeouts, refused connections, TLS and protocol errors: the class names the failure.
        return Answer(None, error=f"{type(error).__name__}: {error}"[:300], duration_ms=took())
    finally:
        connection.close()


@dataclass(frozen=True)
class Fetched:
    """What one GET brought back: the status and up to `max_bytes` of the body (`too_large`
    when there was more), or an error."""

    status: int | None
    body: bytes = b""
    too_large: bool = False
    error: str = ""


def get(url: str, *, max_bytes: int, timeout: float) -> Fetched:
    """GET `url` once, under the same rules as a webhook (an allowed address, pinned; no
    redirect followed), reading at most `max_bytes`; never raises for what the network or the
    server does. For other apps that fetch a document a person points at (the catalogue's
    publiccode.yml import): check the URL with `addresses()` first for a message of their own."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    host = (parts.hostname or "").rstrip(".")
    try:
        address = addresses(host, port)[0]
    except TargetRefused as refusal:
        return Fetched(None, error=str(refusal))
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(host, port, address=str(address), timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers={"Accept": "*/*", "User-Agent": "Patio"})
        response = connection.getresponse()
        body = response.read(max_bytes + 1)
        return Fetched(response.status, body=body[:max_bytes], too_large=len(body) > max_bytes)
    except (OSError, http.client.HTTPException) as error:
        return Fetched(None, error=f"{type(error).__name__}: {error}"[:300])
    finally:
        connection.close()
