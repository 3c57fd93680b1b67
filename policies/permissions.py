"""Who may do what with policies: plain functions used by pages and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from circles.permissions import is_coordinator
from members.models import Person
from members.permissions import is_member, is_network_admin, person_of
from policies.models import Amendment, ConsentResponse, ConsentRound, Policy

if TYPE_CHECKING:
    from accounts.models import AnyUser


def can_view_policy(user: AnyUser | None, policy: Policy) -> bool:
    """Public policies are for everyone; the others for members of the network."""
    return policy.is_public or is_member(user)


def can_view_amendments(user: AnyUser | None) -> bool:
    """The reworking itself (amendments, comments, responses) is the network's own business."""
    return is_member(user)


def can_propose(user: AnyUser | None) -> bool:
    """Any person of the network proposes amendments and new policies."""
    return person_of(user) is not None


def can_translate(user: AnyUser | None, policy: Policy) -> bool:
    """Whoever may propose amendments to a policy may also translate it, and update any of its
    translations: a translation changes nothing that binds. Visitors never; network admins act
    through the person they are, as for amendments."""
    return can_propose(user) and can_view_policy(user, policy)


def can_see_translators(user: AnyUser | None) -> bool:
    """Who translated a public policy is the network's own business, like who proposed it."""
    return is_member(user)


def is_owner(user: AnyUser | None, policy: Policy | None) -> bool:
    """Policy owners: the coordinators of the owning circle."""
    return policy is not None and policy.circle is not None and is_coordinator(user, policy.circle)


def _is_proposer(user: AnyUser | None, amendment: Amendment) -> bool:
    person = person_of(user)
    return person is not None and person.pk == amendment.proposer_id


def can_edit_policy(user: AnyUser | None, policy: Policy) -> bool:
    """Owners and network admins set the category, visibility and review date."""
    return is_network_admin(user) or is_owner(user, policy)


def can_move(user: AnyUser | None, amendment: Amendment, status: str) -> bool:
    """The proposer steers their amendment (feedback, consent round, withdraw); adopting or
    rejecting outside an assembly is for network admins and the policy's owners."""
    if not amendment.can_move_to(status):
        return False
    if status in (Amendment.Status.ADOPTED, Amendment.Status.REJECTED):
        return is_network_admin(user) or is_owner(user, amendment.policy)
    return _is_proposer(user, amendment) or is_network_admin(user)


def can_revise(user: AnyUser | None, amendment: Amendment) -> bool:
    return amendment.is_open and (_is_proposer(user, amendment) or is_network_admin(user))


def can_comment(user: AnyUser | None, amendment: Amendment) -> bool:
    return person_of(user) is not None and amendment.status in (
        Amendment.Status.FEEDBACK,
        Amendment.Status.CONSENT,
    )


def can_respond(user: AnyUser | None, round: ConsentRound) -> bool:
    """Every active member answers an open round."""
    person = person_of(user)
    return (
        person is not None
        and person.participation == Person.Participation.ACTIVE
        and round.is_open
        and round.amendment.status == Amendment.Status.CONSENT
    )


def can_withdraw_objection(user: AnyUser | None, response: ConsentResponse) -> bool:
    person = person_of(user)
    return (
        person is not None
        and person.pk == response.person_id
        and response.is_open_objection
        and response.round.is_open
    )
