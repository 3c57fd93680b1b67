"""The permission-matrix harness: who may do what, as a table that reads as the spec.

How to write a permission matrix test
-------------------------------------
A matrix test is one module per app (`tests/<app>/test_permissions.py`). Four parts are the
app's own; everything else comes from here.

1. **The table.** `ROLES` names the columns; `MATRIX` has one row per action and one cell per
   role, each cell what that role gets: a status code (200, 201, 401, 403, 404, …), `LOGIN`
   (the page sends them to the login page), `SAVED` (the page did it and redirected elsewhere)
   or `N_A` (the action means nothing for this role, so no case is made). Name each action
   after the door it goes through, `"page: edit"` or `"api: edit"`, and list in `READS` the
   actions that only look. A comment above the rows names the columns; the formatter lays out
   the cells::

       ROLES = ("visitor", "member", "coordinator", "network_admin", *TOKEN_ROLES)

       #                  visitor member coord n-admin tok-r tok-w
       MATRIX = {
           "page: edit": (LOGIN, 403, SAVED, SAVED, LOGIN, LOGIN),
           "api: edit": (401, 403, 200, 200, 403, 200),
           "api: read": (200, 200, 200, 200, 200, 200),
       }
       READS = {"api: read"}

2. **The cast.** A fixture returning a `Cast` subclass that holds what the actions act on, the
   user behind each role and, from `api_tokens()`, a token secret for each token role::

       @dataclass(kw_only=True)
       class World(Cast):
           circle: Circle

       @pytest.fixture
       def world(circle, member, coordinator, network_admin) -> World:
           return World(
               circle=circle,
               users={"member": member.user, "coordinator": coordinator.user,
                      "network_admin": network_admin},
               secrets=api_tokens(created_by=network_admin, user=coordinator.user),
           )

   `world.clients(role)` gives that role's browser and API client: anonymous for `"visitor"`,
   a bearer token for a role in `secrets` (pages ignore tokens, so there the token holder is a
   visitor), logged in as `users[role]` otherwise.

3. **The actions.** One function with a `match` on the action, returning `outcome(response)`
   (or, for what a status cannot say, a value of the file's own such as SHOWN or ABSENT).

4. **What the database must show**: a `_snapshot()` of every row an action could touch.

The test is then the same everywhere::

    @pytest.mark.django_db
    @pytest.mark.parametrize(("action", "role", "expected"), cases(MATRIX, ROLES))
    def test_permission_matrix(world, action, role, expected):
        page, api = world.clients(role)
        with writes_as_allowed(action, expected, _snapshot, reads=READS):
            assert _run(action, world, page, api) == expected

`writes_as_allowed` holds the database to the cell: a refused write (or a read) leaves the
snapshot as it was, with no audit event; an allowed write changes it and is audited. A write
the product does not audit (a person's RSVP, a comment) goes in `not_audited`, with the reason
in a comment. Whatever else a cell must show (problem JSON on a refusal, the change itself)
is asserted inside the block.

Each case's id names its cell, `"api: edit | member -> 403"`, so a failure says which row and
column to look at. Rules a table cannot show (a person sees their own hidden fields) are plain
tests below the matrix.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import token_create
from audit.models import AuditEvent

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet

LOGIN: Final = "LOGIN"
SAVED: Final = "SAVED"
N_A: Final = "N/A"

Outcome = int | str
"""A cell of the table: a status code, LOGIN, SAVED, N_A or a value of the file's own."""

DEFAULT_ID: Final = "{action} | {role} -> {expected}"


def cases(
    matrix: Mapping[str, Sequence[Outcome]], roles: Sequence[str], *, id: str = DEFAULT_ID
) -> list[ParameterSet]:
    """One `pytest.param(action, role, expected)` per cell, row by row, skipping N_A cells.

    A row with more or fewer cells than `roles` is an error, not a silently shorter test.
    `id` is a format string over `action`, `role` and `expected`.
    """
    return [
        pytest.param(
            action, role, expected, id=id.format(action=action, role=role, expected=expected)
        )
        for action, row in matrix.items()
        for role, expected in zip(roles, row, strict=True)
        if expected != N_A
    ]


def clients_for(
    role: str, *, users: Mapping[str, User], secrets: Mapping[str, str]
) -> tuple[Client, APIClient]:
    """The browser and the API client of `role`.

    A role in `secrets` sends `Authorization: Bearer <secret>` from both, which pages ignore;
    `"visitor"` is anonymous; any other role is logged in as `users[role]`.
    """
    page, api = Client(), APIClient()
    if role in secrets:
        header = f"Bearer {secrets[role]}"
        page = Client(headers={"Authorization": header})
        api.credentials(HTTP_AUTHORIZATION=header)
    elif role != "visitor":
        page.force_login(users[role])
        api.force_login(users[role])
        reauthenticated(page)
        reauthenticated(api)
    return page, api


@dataclass(kw_only=True)
class Cast:
    """Who plays each role. A matrix file subclasses it with what its actions act on."""

    users: dict[str, User]
    secrets: dict[str, str] = field(default_factory=dict)

    def clients(self, role: str) -> tuple[Client, APIClient]:
        return clients_for(role, users=self.users, secrets=self.secrets)


READ_AND_WRITE: Final = {"token_read": ApiToken.Scope.READ, "token_write": ApiToken.Scope.WRITE}
TOKEN_ROLES: Final = tuple(READ_AND_WRITE)
"""The roles `api_tokens()` makes by default: a read token and a write token."""


def api_tokens(
    *, user: User, created_by: User | None = None, scopes: Mapping[str, str] = READ_AND_WRITE
) -> dict[str, str]:
    """Role name -> secret of a new token acting as `user`, one per role in `scopes`
    (by default `token_read` and `token_write`).

    A token acts only as the person it belongs to, so `user` makes their own; `created_by` is
    kept for the callers that name who hands the token out, and is otherwise ignored."""
    secrets = {}
    # A deactivated account's token was made while it was active: play that moment in memory.
    was_active, user.is_active = user.is_active, True
    try:
        for role, scope in scopes.items():
            _token, secrets[role] = token_create(actor=user, user=user, name=role, scope=scope)
    finally:
        user.is_active = was_active
    return secrets


def reauthenticated(client: Client) -> Client:
    """Mark the client's session as having given its password just now, as allauth's
    re-authentication page does, so pages that ask for it (accounts.reauth) let it through."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    session = client.session
    user_id = session.get("_auth_user_id")
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user_id)
    session.save()
    return client


def outcome(response: HttpResponse) -> Outcome:
    """The cell a response stands for: a redirect to the login page is LOGIN, any other
    redirect SAVED, everything else its status code."""
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("account_login")) else SAVED
    return response.status_code


def allowed(action: str, expected: Outcome) -> bool:
    """Whether the cell says the role gets the action done: SAVED, or a 2xx from the API. A
    page answering 200 to a post showed the form again, with the refusal."""
    if expected == SAVED:
        return True
    if action.startswith("page:"):
        return False
    return isinstance(expected, int) and 200 <= expected < 300


def audit_count() -> int:
    return AuditEvent.objects.count()


@contextmanager
def writes_as_allowed(
    action: str,
    expected: Outcome,
    snapshot: Callable[[], object],
    *,
    reads: Collection[str],
    not_audited: Collection[str] = (),
) -> Iterator[None]:
    """Hold the database to the cell while the block runs the action.

    `snapshot()` returns every row the action could touch. Unless the action is one of `reads`
    and the cell allows it, the block must leave the snapshot as it was and add no audit event;
    otherwise it must change the snapshot and add an audit event (none is asked of an action in
    `not_audited`). Nothing is checked when the block fails: its own error says more.
    """
    before, audit_before = snapshot(), audit_count()
    yield
    after, audits = snapshot(), audit_count()
    if action not in reads and allowed(action, expected):
        assert after != before, "an allowed write changed nothing"
        if action not in not_audited:
            assert audits > audit_before, "an allowed write was not audited"
    else:
        assert after == before, "a refused write (or a read) changed the database"
        assert audits == audit_before, "a refused write (or a read) was audited"
