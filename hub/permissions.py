"""Who may do what in the knowledge hub: plain functions used by pages and the API alike.

Members write drafts; a guide's authors edit it while it is a draft and send it for review; the
current members of the circle chosen as its reviewer read it then, and publish it or send it back
(never a guide of their own); network admins may do all of it. Visitors read published guides
only, and a draft is seen by its authors (and network admins) alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from circles.models import CircleMembership
from hub.models import Guide
from members.permissions import is_network_admin, person_of

if TYPE_CHECKING:
    from accounts.models import AnyUser


def is_author(user: AnyUser | None, guide: Guide) -> bool:
    person = person_of(user)
    if person is None or guide.pk is None:
        return False
    # Prefetched by the selectors; one query otherwise.
    return any(author.pk == person.pk for author in guide.authors.all())


def is_reviewer(user: AnyUser | None, guide: Guide) -> bool:
    """A current member of the guide's reviewing circle (any role)."""
    person = person_of(user)
    return (
        person is not None
        and CircleMembership.objects.current()
        .filter(circle_id=guide.reviewer_circle_id, person=person)
        .exists()
    )


def can_view_guide(user: AnyUser | None, guide: Guide) -> bool:
    if guide.is_published or is_network_admin(user) or is_author(user, guide):
        return True
    return guide.is_in_review and is_reviewer(user, guide)


def can_create_guide(user: AnyUser | None) -> bool:
    """Any person of the network writes guides (a network admin through the person they are)."""
    return person_of(user) is not None


def can_edit_guide(user: AnyUser | None, guide: Guide) -> bool:
    """Authors edit their drafts; network admins any guide."""
    return is_network_admin(user) or (guide.is_draft and is_author(user, guide))


def can_submit(user: AnyUser | None, guide: Guide) -> bool:
    return guide.is_draft and (is_network_admin(user) or is_author(user, guide))


def can_review(user: AnyUser | None, guide: Guide) -> bool:
    """Publish the guide or send it back: its reviewing circle's members, never its own
    authors, and network admins."""
    if not guide.is_in_review:
        return False
    if is_network_admin(user):
        return True
    return not is_author(user, guide) and is_reviewer(user, guide)


def can_withdraw(user: AnyUser | None, guide: Guide) -> bool:
    """Take a published guide back to a draft, to revise it: its authors and network admins."""
    return guide.is_published and (is_network_admin(user) or is_author(user, guide))


def can_translate(user: AnyUser | None, guide: Guide) -> bool:
    """Whoever may edit the guide adds and updates its translations, which are reviewed with
    it; once it is published, its reviewers may too (what they add is what they would have
    approved). A translation names its translator, so it takes a person."""
    if person_of(user) is None:
        return False
    return can_edit_guide(user, guide) or (guide.is_published and is_reviewer(user, guide))


def can_mark_done(user: AnyUser | None, guide: Guide) -> bool:
    return person_of(user) is not None and guide.is_published


def can_manage_paths(user: AnyUser | None) -> bool:
    """Learning paths are put together by network admins and circle coordinators."""
    if is_network_admin(user):
        return True
    person = person_of(user)
    return (
        person is not None
        and CircleMembership.objects.current()
        .filter(person=person, role=CircleMembership.Role.COORDINATOR)
        .exists()
    )
