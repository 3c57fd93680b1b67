"""Error reporting through the official sentry-sdk, only when `SENTRY_DSN` is set.

It sends what a developer needs to fix a crash (the stack, the route, the release) and nothing that
identifies a person: `send_default_pii` is off, and `scrub` removes what the SDK would still send
(request bodies, cookies, query strings, secret headers, the user beyond their id, and any email
address left in a message).
"""

from __future__ import annotations

import re
from typing import Any

SECRET_HEADERS = frozenset(
    {"authorization", "cookie", "set-cookie", "x-csrftoken", "proxy-authorization", "x-api-key"}
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
REDACTED = "[redacted]"


def _scrub_text(value: Any) -> Any:
    return EMAIL.sub(REDACTED, value) if isinstance(value, str) else value


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `before_send` hook: the event, with personal data and secrets taken out."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() not in SECRET_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    if "message" in event:
        event["message"] = _scrub_text(event["message"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if key in logentry:
                logentry[key] = _scrub_text(logentry[key])
        logentry.pop("params", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception, dict) and "value" in exception:
            exception["value"] = _scrub_text(exception["value"])
        for frame in ((exception or {}).get("stacktrace") or {}).get("frames") or []:
            # Local variables can hold anything: a form's cleaned data, a password.
            frame.pop("vars", None)
    event.pop("extra", None)
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Breadcrumbs keep their category and time; messages lose email addresses, SQL its values."""
    if "message" in crumb:
        crumb["message"] = _scrub_text(crumb["message"])
    crumb.pop("data", None)
    return crumb


def init_sentry(dsn: str, environment: str = "production", release: str | None = None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]
        before_breadcrumb=scrub_breadcrumb,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=0.0,
    )
