"""Who may do what with offers and wants. Pages and the API both ask these functions.

- Anyone reads open public posts; members read every post (members-only ones too, and closed
  ones, which visitors no longer see).
- A person of the network posts, for themselves or, as a co-op admin, for their co-op.
- The poster manages their post (edit, fulfil, reopen); so do the admins of the co-op a post
  speaks for, and network admins.
- A person of the network replies to an open post that is not theirs; the replies are read by
  those who manage the post, and each replier reads their own.
"""

from __future__ import annotations

from typing import TypeGuard

from accounts.models import AnyUser, User
from members.models import Organisation
from members.permissions import is_coop_admin_of, is_member, is_network_admin, person_of
from offers.models import Post


def can_view_post(user: AnyUser | None, post: Post) -> bool:
    if is_member(user):
        return True
    return post.state == Post.State.OPEN and post.visibility == Post.Visibility.PUBLIC


def can_post(user: AnyUser | None) -> TypeGuard[User]:
    """Posts are a person's (or their co-op's): an admin account without a person posts none."""
    return person_of(user) is not None


def can_post_for(user: AnyUser | None, organisation: Organisation) -> TypeGuard[User]:
    return is_coop_admin_of(user, organisation)


def can_manage_post(user: AnyUser | None, post: Post) -> TypeGuard[User]:
    """Edit, mark fulfilled, reopen; read every reply."""
    if is_network_admin(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    if post.poster_id == person.pk:
        return True
    return post.organisation is not None and is_coop_admin_of(user, post.organisation)


def can_reply(user: AnyUser | None, post: Post) -> TypeGuard[User]:
    person = person_of(user)
    if person is None or post.state != Post.State.OPEN:
        return False
    if post.poster_id == person.pk:
        return False
    # Those who manage a co-op's post answer it, not reply to it.
    return not (post.organisation is not None and is_coop_admin_of(user, post.organisation))


def may_ever_reply(user: AnyUser | None, post: Post) -> bool:
    """Whether to offer a visitor the way in: they could reply once logged in."""
    return post.state == Post.State.OPEN and not (user is not None and user.is_authenticated)
