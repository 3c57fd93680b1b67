"""`Idempotency-Key` on every POST of the API: a repeated request gets the first answer again.

patio.api.ServiceCallMixin runs each POST that carries the header through `once`, so every
create and action of every app is safe to retry, with nothing to add per view. The key row is
inserted first, inside the same transaction as the work. A second request with the same key
(same caller, same endpoint) waits on the unique index until the first commits, then finds the
stored answer (status, body and Location); if the first fails, its row goes with the rollback
and the key may be used again. The same key with a different body is a client error (422),
never a second row. Anonymous callers have no key space of their own: the header is ignored.

The fund's page forms keep their one-time tokens in the same table (`form_submissions`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from patio.api import PROBLEM_CONTENT_TYPE, problem
from patio.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _request_hash(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _problem(status: int, code: str, title: str, detail: str) -> Response:
    return Response(
        problem(status, title, detail, code=code), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


def _replay(stored: IdempotencyKey, request_hash: str) -> Response:
    if stored.request_hash != request_hash:
        return _problem(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was used for another request."),
            _("Send a new key for a new request; repeat a request only with its own key."),
        )
    response = Response(stored.response_body, status=stored.response_status)
    if stored.response_location:
        response["Location"] = stored.response_location
    response["Idempotent-Replayed"] = "true"
    return response


def once(request: Request, handler: Callable[[], Any]) -> Any:
    """Run a POST's handler once per key; a repeat gets the first answer."""
    key = request.headers.get(HEADER)
    if key is None or not request.user.is_authenticated:
        return handler()
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return _problem(
            400,
            "invalid_idempotency_key",
            _("The Idempotency-Key header is not valid."),
            _("Send 1 to %(n)d printable characters.") % {"n": MAX_KEY_LENGTH},
        )
    request_hash = _request_hash(request)
    lookup = {"actor": request.user, "endpoint": request.path, "key": key}
    stored = IdempotencyKey.objects.filter(**lookup).first()
    if stored is not None:
        return _replay(stored, request_hash)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(request_hash=request_hash, **lookup)
        except IntegrityError:
            # Another request with this key committed while this one waited on the index.
            return _replay(IdempotencyKey.objects.get(**lookup), request_hash)
        response = handler()
        if not 200 <= response.status_code < 300:
            transaction.set_rollback(True)
            return response
        row.response_status = response.status_code
        row.response_body = json.loads(json.dumps(response.data, default=str))
        row.response_location = response.get("Location", "")
        row.save(update_fields=["response_status", "response_body", "response_location"])
        return response


class FormSubmissions:
    """The one-time tokens of page forms (patio.forms.one_time_form), kept beside the API's
    keys: the same row, the same unique index, the same wait for a first request."""

    PREFIX = "page:"

    def _lookup(self, user: Any, endpoint: str, token: str) -> dict[str, Any]:
        return {"actor": user, "endpoint": self.PREFIX + endpoint, "key": token}

    def claim(self, *, user: Any, endpoint: str, token: str) -> str | None:
        lookup = self._lookup(user, endpoint, token)
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(request_hash="", **lookup)
        except IntegrityError:
            # The first submission committed (this one waited on the index until it did).
            stored = IdempotencyKey.objects.get(**lookup)
            return str((stored.response_body or {}).get("location") or endpoint)
        return None

    def finish(self, *, user: Any, endpoint: str, token: str, location: str) -> None:
        IdempotencyKey.objects.filter(**self._lookup(user, endpoint, token)).update(
            response_status=302, response_body={"location": location}
        )


form_submissions = FormSubmissions()
