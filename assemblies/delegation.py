"""The rules of delegated votes, as pure functions over plain values: the assembly services use
them, and a poll (or any vote) can reuse them with its own rows.

- A person gives at most one live delegation per vote, never to themselves.
- One step only: a person who carries a delegation cannot pass it on, and nobody delegates to a
  person who has delegated.
- A person carries at most `limit` delegations (a setting, 1 by default).
- The delegator's own vote overrides: a delegation counts only while its delegate is there and
  its delegator is not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Standing:
    """Where one person stands in a vote's delegations."""

    has_delegated: bool = False
    carries: int = 0


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def refusal(
    *, delegator_id: int, delegate_id: int, delegator: Standing, delegate: Standing, limit: int
) -> Refusal | None:
    """Why this delegation may not be given (None when it may). Checked in this order, so the
    message names the first thing the person can do something about."""
    if delegator_id == delegate_id:
        return Refusal("self", _("You cannot delegate your vote to yourself."))
    if delegator.has_delegated:
        return Refusal(
            "already_delegated",
            _("You have delegated your vote already. Revoke that delegation first."),
        )
    if delegator.carries:
        return Refusal(
            "carries",
            _(
                "You carry another member's vote: a delegated vote cannot be passed on. "
                "Attend, or ask them to choose someone else."
            ),
        )
    if delegate.has_delegated:
        return Refusal(
            "chain",
            _(
                "This person has delegated their own vote, so they cannot carry yours: "
                "a delegation goes one step only. Choose someone who will attend."
            ),
        )
    if delegate.carries >= limit:
        return Refusal("full", _("This person already carries as many votes as one person may."))
    return None


Key = TypeVar("Key")


def counted(
    delegations: Iterable[tuple[Key, int, int]], *, present: Iterable[int]
) -> tuple[list[Key], list[Key]]:
    """Split live delegations (key, delegator id, delegate id) into those that count now (the
    delegate is there, the delegator is not) and those the delegator's own vote overrides."""
    there = set(present)
    counting: list[Key] = []
    overridden: list[Key] = []
    for key, delegator_id, delegate_id in delegations:
        if delegator_id in there:
            overridden.append(key)
        elif delegate_id in there:
            counting.append(key)
    return counting, overridden
