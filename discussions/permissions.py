"""Who may do what in discussions. Pages and the API both ask these functions, and the
selectors apply the same reading rule to lists (`selectors.threads_visible_to`).

- Reading: a public thread, everyone; a network thread, members of the network; a circle
  thread, the circle's current members. Network admins read everything. A thread about a
  policy, an opportunity or an agenda item is read only by those who may read that too.
- Starting: people of the network; a circle thread, the circle's members.
- Replying: a person who may read the thread, while it is open.
- Editing: the author of a comment, while the thread is open and the comment is not hidden.
- Adding a poll: the thread's starter, once, while it is open, where they may start polls (in
  the thread's circle, or the network's).
- Moderating (close and reopen a thread, hide and show a comment): network admins, and the
  current moderators and coordinators of the thread's circle (the circle it is in, or the
  circle of the policy or opportunity it is about).
"""

from __future__ import annotations

from typing import TypeGuard

from accounts.models import AnyUser, User
from circles.models import Circle, CircleMembership
from discussions.models import Comment, Thread
from members.permissions import is_member, is_network_admin, person_of
from polls.permissions import can_create_poll

MODERATING_ROLES = (CircleMembership.Role.MODERATOR, CircleMembership.Role.COORDINATOR)


def is_circle_member(user: AnyUser | None, circle_id: int | None) -> bool:
    person = person_of(user)
    if person is None or circle_id is None:
        return False
    return CircleMembership.objects.current().filter(circle_id=circle_id, person=person).exists()


def moderation_circle_id(thread: Thread) -> int | None:
    """The circle whose moderators look after the thread."""
    if thread.circle_id is not None:
        return thread.circle_id
    if thread.policy is not None:
        return thread.policy.circle_id
    if thread.opportunity is not None:
        return thread.opportunity.circle_id
    return None


def is_moderator(user: AnyUser | None, circle: Circle | int | None) -> TypeGuard[User]:
    """A current moderator (or coordinator) of this circle."""
    person = person_of(user)
    circle_id = circle.pk if isinstance(circle, Circle) else circle
    if person is None or circle_id is None:
        return False
    return (
        CircleMembership.objects.current()
        .filter(circle_id=circle_id, person=person, role__in=MODERATING_ROLES)
        .exists()
    )


def can_view_thread(user: AnyUser | None, thread: Thread) -> bool:
    """The rule for one thread; lists apply the same one in SQL (`selectors`), subject
    included."""
    from discussions.selectors import threads_visible_to

    return threads_visible_to(user).filter(pk=thread.pk).exists()


def can_start_thread(user: AnyUser | None, *, circle: Circle | None = None) -> TypeGuard[User]:
    if person_of(user) is None:
        return False
    return circle is None or is_circle_member(user, circle.pk) or is_network_admin(user)


def may_use_visibility(user: AnyUser | None, visibility: str, circle: Circle | None) -> bool:
    if visibility == Thread.Visibility.CIRCLE:
        return circle is not None
    return is_member(user)


def can_reply(user: AnyUser | None, thread: Thread) -> TypeGuard[User]:
    if person_of(user) is None or thread.is_closed:
        return False
    return can_view_thread(user, thread)


def can_edit_comment(user: AnyUser | None, comment: Comment) -> TypeGuard[User]:
    person = person_of(user)
    if person is None or comment.author_id != person.pk:
        return False
    return not comment.is_hidden and not comment.thread.is_closed


def can_moderate(user: AnyUser | None, thread: Thread) -> TypeGuard[User]:
    if is_network_admin(user):
        return True
    return is_moderator(user, moderation_circle_id(thread))


def can_follow(user: AnyUser | None, thread: Thread) -> TypeGuard[User]:
    return person_of(user) is not None and can_view_thread(user, thread)


def can_view_history(user: AnyUser | None, comment: Comment) -> bool:
    """Everyone who reads the thread reads a comment's edits, except of a hidden comment, whose
    earlier words only moderators and its author read."""
    if not comment.is_hidden:
        return True
    person = person_of(user)
    return (person is not None and comment.author_id == person.pk) or can_moderate(
        user, comment.thread
    )


def can_add_poll(user: AnyUser | None, thread: Thread) -> TypeGuard[User]:
    """The thread's starter adds one poll to an open thread, where they may start polls."""
    person = person_of(user)
    return (
        person is not None
        and thread.author_id == person.pk
        and not thread.is_closed
        and thread.poll_id is None
        and can_create_poll(user, thread.circle)
    )
