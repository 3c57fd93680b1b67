"""What `/healthz` checks: each part the site needs, quickly, and without telling secrets.

Each check answers within about two seconds (the database and Redis have connect and statement
timeouts of their own here; the worker ping waits one second) and says only ok or fail, with a
short detail for the person on call: no address, host name, version or exception message, since
the page is open to anyone. A check that depends on another part that failed is not tried (no
worker ping without a broker, no heartbeat read without a database).

Apps above patio add checks of their own with `register(name)(check)`, e.g. the outbox backlog.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patio.celery import app as celery_app
from patio.models import Heartbeat

BEAT = "beat"
# Beat sends its heartbeat every minute; three missed in a row mean it is not running.
BEAT_STALE_AFTER = timedelta(minutes=3)
TIMEOUT_SECONDS = 2
WORKER_PING_SECONDS = 1.0


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str
    ms: int = 0

    def as_json(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "fail", "detail": self.detail, "ms": self.ms}


Check = Callable[[dict[str, Result]], Result]
"""A check, given the results of the checks before it."""

_CHECKS: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    """Add a check named `name`, run after those registered before it (again: replaced)."""

    def add(check: Check) -> Check:
        _CHECKS[name] = check
        return check

    return add


def _failure(exc: BaseException) -> str:
    # The class only: a message could carry a URL with its password, or a host name.
    return _("unreachable (%(error)s)") % {"error": type(exc).__name__}


@register("database")
def database(done: dict[str, Result]) -> Result:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = %s", [TIMEOUT_SECONDS * 1000])
            cursor.execute("SELECT 1")
    except Exception as exc:
        return Result(False, _failure(exc))
    return Result(True, _("answers"))


@register("broker")
def broker(done: dict[str, Result]) -> Result:
    try:
        with celery_app.connection_for_write(connect_timeout=TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)
    except Exception as exc:
        return Result(False, _failure(exc))
    return Result(True, _("answers"))


@register("cache")
def cache_check(done: dict[str, Result]) -> Result:
    key, value = "patio:healthz", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        read = cache.get(key)
    except Exception as exc:
        return Result(False, _failure(exc))
    if read != value:
        return Result(False, _("does not keep what it is given"))
    return Result(True, _("answers"))


@register("worker")
def worker(done: dict[str, Result]) -> Result:
    if not done["broker"].ok:
        return Result(False, _("not asked: the broker is unreachable"))
    try:
        replies = celery_app.control.ping(timeout=WORKER_PING_SECONDS, limit=1)
    except Exception as exc:
        return Result(False, _failure(exc))
    if not replies:
        return Result(
            False,
            _("no worker answered a ping within %(seconds)s s") % {"seconds": WORKER_PING_SECONDS},
        )
    return Result(
        True,
        ngettext("%(count)d worker answered", "%(count)d workers answered", len(replies))
        % {"count": len(replies)},
    )


@register("beat")
def beat(done: dict[str, Result]) -> Result:
    if not done["database"].ok:
        return Result(False, _("not read: the database is unreachable"))
    try:
        beat_at = Heartbeat.objects.filter(name=BEAT).values_list("beat_at", flat=True).first()
    except Exception as exc:
        return Result(False, _failure(exc))
    if beat_at is None:
        return Result(False, _("no heartbeat recorded yet"))
    age = int((timezone.now() - beat_at).total_seconds())
    if age > BEAT_STALE_AFTER.total_seconds():
        return Result(False, _("last heartbeat %(seconds)d s ago") % {"seconds": age})
    return Result(True, _("last heartbeat %(seconds)d s ago") % {"seconds": age})


def run_checks() -> dict[str, Result]:
    """Every check, in order, each timed."""
    done: dict[str, Result] = {}
    for name, check in _CHECKS.items():
        started = time.monotonic()
        result = check(done)
        ms = round((time.monotonic() - started) * 1000)
        done[name] = Result(result.ok, result.detail, ms)
    return done


def heartbeat_record(*, name: str) -> None:
    """Say that the process `name` is alive now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
