"""The Murmurations index API (version 2), as far as a node uses it.

- `POST {index}/nodes` with `{"profile_url": …}` asks the index to fetch and validate the profile
  and answers `{"data": {"node_id": …, "status": "received"}}`; posting again refreshes it.
- `GET {index}/nodes/{node_id}` says what became of it: `received`, `validated`, `posted`,
  `post_failed` (the index tries again by itself), `deleted`, or `validation_failed` with an
  error status and the reasons in `errors`.
- `DELETE {index}/nodes/{node_id}` removes it, once its profile URL no longer answers (ours
  answers 404 or 410 by then); an index that does not know the node answers 404.

The node id is the SHA-256 of the profile URL, so it is known before the first answer. The index
is the operator's own setting, not a URL from outside, so it needs none of the webhooks' guards.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

USER_AGENT = "Patio-Murmurations/1.0"
# What an error keeps of the index's answer.
EXCERPT_CHARS = 300
FINAL = frozenset({"posted", "validation_failed", "deleted"})


class IndexFailed(Exception):
    """The index could not be reached or refused the request; the message says how, and
    `status` is the index's HTTP status when it answered."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Node:
    node_id: str
    status: str = ""
    reasons: list[str] = field(default_factory=list)


def node_id_for(profile_url: str) -> str:
    return hashlib.sha256(profile_url.encode()).hexdigest()


def _url(path: str) -> str:
    return f"{settings.MURMURATIONS_INDEX_URL}{path}"


def _request(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """(status, parsed JSON body or None); IndexFailed when the index cannot be reached."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the operator's https index
        _url(path),
        data=data,
        method=method,
        headers={
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": f"{USER_AGENT} (+{settings.SITE_URL})",
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - see above
            request, timeout=settings.MURMURATIONS_TIMEOUT_SECONDS
        ) as answer:
            return answer.status, _parse(answer.read())
    except urllib.error.HTTPError as answer:
        return answer.code, _parse(answer.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IndexFailed(f"{type(exc).__name__}: {reason}"[:EXCERPT_CHARS]) from exc


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8", "replace")) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")[:EXCERPT_CHARS]


def _reasons(body: Any) -> list[str]:
    """The index's reasons from a JSON:API-style `errors` list (titles and details)."""
    if not isinstance(body, dict):
        return [str(body)[:EXCERPT_CHARS]] if body else []
    reasons = []
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            text = ": ".join(str(error[k]) for k in ("title", "detail") if error.get(k))
            reasons.append(text[:EXCERPT_CHARS])
    return reasons


def _failed(status: int, body: Any) -> IndexFailed:
    reasons = "; ".join(_reasons(body))
    return IndexFailed(f"HTTP {status}" + (f": {reasons}" if reasons else ""), status=status)


def _data(body: Any) -> dict[str, Any]:
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else {}


def register(profile_url: str) -> Node:
    """Ask the index to (re)read the profile; its node as the index answered."""
    status, body = _request("POST", "/nodes", {"profile_url": profile_url})
    if not 200 <= status < 300:
        raise _failed(status, body)
    data = _data(body)
    return Node(
        node_id=str(data.get("node_id") or node_id_for(profile_url)),
        status=str(data.get("status") or "received"),
    )


def remove(node_id: str) -> None:
    """Take the node out of the index; one the index does not know is already out."""
    status, body = _request("DELETE", f"/nodes/{node_id}")
    if status == 404 or 200 <= status < 300:
        return
    raise _failed(status, body)


def node(node_id: str) -> Node:
    """What the index made of the node. A failed validation comes back as an error status with
    the reasons and the node in `meta`; a node it does not know is IndexFailed."""
    status, body = _request("GET", f"/nodes/{node_id}")
    if 200 <= status < 300:
        return Node(node_id=node_id, status=str(_data(body).get("status") or ""))
    meta = body.get("meta") if isinstance(body, dict) else None
    if isinstance(meta, dict) and meta.get("node_id") == node_id and body.get("errors"):
        return Node(node_id=node_id, status="validation_failed", reasons=_reasons(body))
    raise _failed(status, body)
