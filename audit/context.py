"""Which API token the current request acts through, for the audit events it writes.

`accounts.api_auth.BearerTokenAuthentication` sets it when a token authenticates a request;
`audit_record()` reads it. Every request starts and ends with it cleared (`audit.apps`), so a
worker thread's next request never inherits the last one's token.

The audit app stands below accounts, so it keeps the token's id and prefix, not a foreign key:
the record also outlives the token when retention purges it."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, NamedTuple


class TokenInUse(NamedTuple):
    id: int
    prefix: str


_token: ContextVar[TokenInUse | None] = ContextVar("audit_token_in_use", default=None)


def token_in_use() -> TokenInUse | None:
    return _token.get()


def set_token_in_use(token_id: int, prefix: str) -> None:
    _token.set(TokenInUse(token_id, prefix))


def clear_token_in_use(**kwargs: Any) -> None:
    """Also the receiver of `request_started` and `request_finished`."""
    _token.set(None)
