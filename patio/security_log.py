"""Security events as structured logs: one JSON line each on standard error.

`security_event("login.failed", request=request, account=…)` is the one way to write one. The
logger is `patio.security`; settings.LOGGING gives it a JSON formatter of its own, so operators can
ship these lines to whatever collects them, apart from the ordinary log.

What goes in: the event's name, when, the client address, the user's id, the method and path, and
the fields the caller names. What never goes in: passwords, secrets, tokens, session keys, email
addresses or message bodies. Fields whose names say they hold one are dropped here, whoever passes
them, and an account name is logged as a short one-way digest, enough to see that failures aim at one
account without writing the address down.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.http import HttpRequest
from pythonjsonlogger.json import JsonFormatter

from patio.http import client_ip

logger = logging.getLogger("patio.security")

# A field is dropped when the last part of its name says it holds one of these.
SECRET_PARTS = frozenset(
    {
        "password",
        "secret",
        "token",
        "key",
        "cookie",
        "authorization",
        "csrf",
        "session",
        "email",
        "body",
        "code",
        "otp",
    }
)


def account_digest(login: str) -> str:
    """A short one-way digest of a login name: the same account reads the same, the name never."""
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()[:12]


def _is_secret(name: str) -> bool:
    return name.lower().rsplit("_", 1)[-1] in SECRET_PARTS


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def event_fields(event: str, request: HttpRequest | None = None, **fields: Any) -> dict[str, Any]:
    """The fields one event is logged with: what `security_event` writes, as a dict."""
    record: dict[str, Any] = {"event": event}
    if request is not None:
        user = getattr(request, "user", None)
        record["ip"] = client_ip(request)
        record["method"] = request.method
        record["path"] = request.path
        if user is not None and user.is_authenticated:
            record["user_id"] = user.pk
    for name, value in fields.items():
        if not _is_secret(name):
            record[name] = _plain(value)
    return record


def security_event(event: str, request: HttpRequest | None = None, **fields: Any) -> None:
    """Write one security event, e.g. `security_event("token.used", request, token_prefix=…)`."""
    record = event_fields(event, request, **fields)
    logger.info(event, extra={"security": record})


class SecurityFormatter(JsonFormatter):
    """One JSON object per line: `timestamp`, `level`, `message`, then the event's own fields."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.update(log_data.pop("security", None) or {})
