"""Who may do what with polls: plain functions used by pages and the API alike.

Polls are the network's own business: members (and network admins) read them; visitors see
none. Voting is for the poll's electorate (`selectors.eligible_voters`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from circles.models import CircleMembership
from circles.permissions import is_coordinator
from members.permissions import is_member, is_network_admin, person_of
from polls.models import Poll

if TYPE_CHECKING:
    from accounts.models import AnyUser


def can_view_polls(user: AnyUser | None) -> bool:
    return is_member(user)


def can_create_poll(user: AnyUser | None, circle=None) -> bool:
    """A person of the network starts a network poll; a circle's poll, its members."""
    person = person_of(user)
    if person is None:
        return False
    if circle is None or is_network_admin(user):
        return True
    return CircleMembership.objects.current().filter(circle=circle, person=person).exists()


def _is_author(user: AnyUser | None, poll: Poll) -> bool:
    person = person_of(user)
    return person is not None and poll.author_id == person.pk


def can_vote(user: AnyUser | None, poll: Poll) -> bool:
    from polls.selectors import eligible_voters

    person = person_of(user)
    if person is None or poll.is_closed():
        return False
    return eligible_voters(poll).filter(pk=person.pk).exists()


def can_delegate(user: AnyUser | None, poll: Poll) -> bool:
    """A voter gives (or takes back) their vote while the poll is open; never in an anonymous
    poll, where the delegation would show who voted."""
    return not poll.anonymous and can_vote(user, poll)


def can_see_results(user: AnyUser | None, poll: Poll) -> bool:
    """Hidden results are hidden from everyone, the author and admins too, until the close."""
    return can_view_polls(user) and (not poll.results_hidden or poll.is_closed())


def can_close(user: AnyUser | None, poll: Poll) -> bool:
    """The author (or a network admin) closes a poll early."""
    return not poll.is_closed() and (_is_author(user, poll) or is_network_admin(user))


def can_record_outcome(user: AnyUser | None, poll: Poll) -> bool:
    return poll.is_closed() and (_is_author(user, poll) or is_network_admin(user))


def can_schedule_assembly(user: AnyUser | None, poll: Poll) -> bool:
    """A closed time poll's author, its circle's coordinator or a network admin turns the
    winning slot into the assembly, once."""
    if poll.kind != Poll.Kind.TIME or not poll.is_closed() or poll.assembly_id is not None:
        return False
    if _is_author(user, poll) or is_network_admin(user):
        return True
    return poll.circle is not None and is_coordinator(user, poll.circle)
