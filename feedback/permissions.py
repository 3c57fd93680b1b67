"""Who may do what with feedback: plain functions the pages and the services share.

- Anyone with a person of their own may ask for feedback (of the people `selectors.askable`
  lets them ask).
- A request and its answers, with the names of who gave them, are the asker's alone.
- A person asked sees the request and their own answer, and answers it while it is open; only
  for themselves (the answer is looked up by the reader, never by an id they send).
- A request the asker shared is read by the network's members (people and network admins),
  its answers without their authors' names.
- "Feedback received: N" is shown to the person it counts for, and to nobody else."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.utils import timezone

from accounts.models import AnyUser, User
from members.models import Person
from members.permissions import is_member, person_of

if TYPE_CHECKING:
    from feedback.models import FeedbackInvite, FeedbackRequest


def can_ask(user: AnyUser | None) -> TypeGuard[User]:
    return person_of(user) is not None


def is_asker(user: AnyUser | None, request: FeedbackRequest) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and request.asker_id == person.pk


def can_view_request(user: AnyUser | None, request: FeedbackRequest, *, asked: bool) -> bool:
    """`asked`: whether the reader is among the people asked (the caller knows it from the
    invites it read, so this costs no query)."""
    return is_asker(user, request) or asked or (request.shared and is_member(user))


def can_read_authors(user: AnyUser | None, request: FeedbackRequest) -> bool:
    """Whose answer is whose: the asker's to know, even once shared."""
    return is_asker(user, request)


def can_share(user: AnyUser | None, request: FeedbackRequest) -> TypeGuard[User]:
    return is_asker(user, request)


def is_open(request: FeedbackRequest) -> bool:
    return timezone.now() < request.closes_at


def can_answer(user: AnyUser | None, invite: FeedbackInvite) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and invite.respondent_id == person.pk and is_open(invite.request)


def can_see_received_count(user: AnyUser | None, person: Person) -> bool:
    reader = person_of(user)
    return reader is not None and reader.pk == person.pk
