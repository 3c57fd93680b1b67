"""Delegated votes: one step only, at most the set number carried, the delegator's own vote
overrides, revocable until used, counted toward quorum and shown in the tally, all audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies import delegation, selectors, services
from assemblies.models import Decision, ReminderSettings, VoteDelegation
from audit.models import AuditEvent
from circles.models import CircleMembership
from circles.services import participation_refresh
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(coop, circle, facilitator, note_taker):
    """Six active members (and the facilitator and note-taker: 8 active, quorum 30 % -> 3)."""
    made = [PersonFactory(organisation=coop, display_name=f"P{i}") for i in range(6)]
    for person in [*made, facilitator, note_taker]:
        CircleMembership.objects.get_or_create(circle=circle, person=person)
    participation_refresh()
    return made


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


# The rules, as pure functions -------------------------------------------------------------------
def _refusal(**kw):
    args = {
        "delegator_id": 1,
        "delegate_id": 2,
        "delegator": delegation.Standing(),
        "delegate": delegation.Standing(),
        "limit": 1,
    }
    found = delegation.refusal(**{**args, **kw})
    return found.code if found else None


def test_a_free_member_may_carry_one_vote():
    assert _refusal() is None


def test_nobody_delegates_to_themselves():
    assert _refusal(delegate_id=1) == "self"


def test_a_delegate_cannot_pass_a_vote_on():
    assert _refusal(delegator=delegation.Standing(carries=1)) == "carries"


def test_nobody_delegates_to_someone_who_has_delegated():
    assert _refusal(delegate=delegation.Standing(has_delegated=True)) == "chain"


def test_a_person_carries_at_most_the_limit():
    assert _refusal(delegate=delegation.Standing(carries=1)) == "full"
    assert _refusal(delegate=delegation.Standing(carries=1), limit=2) is None


def test_a_delegation_counts_only_while_its_delegate_is_there_and_its_delegator_is_not():
    rows = [("a", 1, 2), ("b", 3, 4), ("c", 5, 6)]
    counting, overridden = delegation.counted(rows, present={2, 3, 4})
    assert (counting, overridden) == (["a"], ["b"])


# The service ------------------------------------------------------------------------------------
def test_a_member_delegates_and_it_is_audited(assembly, people):
    given = services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=people[1])

    assert (given.delegator, given.delegate) == (people[0], people[1])
    event = AuditEvent.objects.get(action="assembly.delegation")
    assert event.after == {
        "assembly": assembly.pk,
        "delegator": people[0].pk,
        "delegate": people[1].pk,
    }


def test_delegating_to_someone_who_has_delegated_is_refused_with_a_clear_error(assembly, people):
    services.delegate_vote(actor=people[1].user, assembly=assembly, delegate=people[2])

    with pytest.raises(ValidationError) as refused:
        services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=people[1])

    assert "one step only" in " ".join(refused.value.messages)
    assert VoteDelegation.objects.filter(delegator=people[0]).count() == 0


def test_a_delegate_cannot_delegate_the_vote_they_carry(assembly, people):
    services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=people[1])

    with pytest.raises(ValidationError) as refused:
        services.delegate_vote(actor=people[1].user, assembly=assembly, delegate=people[2])

    assert _codes(refused.value) == {"carries"}


def test_a_person_holds_at_most_one_delegation_by_default(assembly, people):
    services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=people[2])

    with pytest.raises(ValidationError) as refused:
        services.delegate_vote(actor=people[1].user, assembly=assembly, delegate=people[2])
    assert _codes(refused.value) == {"full"}

    config = ReminderSettings.load()
    config.delegations_per_person = 2
    config.save()
    services.delegate_vote(actor=people[1].user, assembly=assembly, delegate=people[2])
    assert len(selectors.delegations_held(people[2], assembly)) == 2


def test_only_active_members_delegate_and_carry(assembly, people, coop):
    passive = PersonFactory(organisation=coop)
    with pytest.raises(ValidationError):
        services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=passive)
    with pytest.raises(ValidationError):
        services.delegate_vote(actor=passive.user, assembly=assembly, delegate=people[0])


def test_an_account_without_a_person_cannot_delegate(assembly, people, network_admin):
    with pytest.raises(PermissionDenied):
        services.delegate_vote(actor=network_admin, assembly=assembly, delegate=people[0])


def test_a_delegation_is_revoked_and_the_vote_can_go_elsewhere(assembly, people):
    services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=people[1])

    services.delegation_revoke(actor=people[0].user, assembly=assembly)
    services.delegate_vote(actor=people[0].user, assembly=assembly, delegate=people[2])

    assert selectors.delegation_of(people[0], assembly).delegate == people[2]
    assert AuditEvent.objects.filter(action="assembly.delegation_revoke").count() == 1


def test_quorum_counts_delegations_before_the_meeting_through_rsvps(assembly, people):
    for person in people[:2]:
        services.rsvp_set(actor=person.user, assembly=assembly, answer="going")
    services.delegate_vote(actor=people[3].user, assembly=assembly, delegate=people[0])

    quorum = selectors.quorum(assembly)

    assert (quorum.going, quorum.delegated, quorum.count, quorum.needed) == (2, 1, 3, 3)
    assert quorum.reached


def _open_with(assembly, facilitator, present):
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="open")
    services.attendance_set(actor=facilitator.user, assembly=assembly, people=present)


def test_quorum_counts_delegations_once_open_and_the_decision_keeps_the_tally(
    open_assembly, people, facilitator
):
    assembly = open_assembly
    services.delegate_vote(actor=people[4].user, assembly=assembly, delegate=people[0])
    services.delegate_vote(actor=people[5].user, assembly=assembly, delegate=people[1])
    services.attendance_set(actor=facilitator.user, assembly=assembly, people=people[:1])

    assert selectors.quorum(assembly).reached is False  # 1 present + 1 carried of 3
    services.attendance_mark(
        actor=facilitator.user, assembly=assembly, person=people[1], present=True
    )
    quorum = selectors.quorum(assembly)
    assert (quorum.present, quorum.delegated, quorum.count, quorum.reached) == (2, 2, 4, True)

    decision = services.decision_record(
        actor=facilitator.user,
        assembly=assembly,
        text="We meet in Sofia.",
        method=Decision.Method.VOTE,
        outcome=Decision.Outcome.ADOPTED,
        votes_for=4,
        votes_against=0,
    )

    assert (decision.present_count, decision.delegated_count, decision.votes_count) == (2, 2, 4)
    used = AuditEvent.objects.get(action="assembly.delegation_use")
    assert len(used.after["delegations"]) == 2


def test_the_delegators_own_vote_overrides_the_delegation(open_assembly, people, facilitator):
    assembly = open_assembly
    services.delegate_vote(actor=people[4].user, assembly=assembly, delegate=people[0])
    services.attendance_set(
        actor=facilitator.user, assembly=assembly, people=[people[0], people[4]]
    )

    quorum = selectors.quorum(assembly)

    assert (quorum.present, quorum.delegated, quorum.overridden, quorum.count) == (2, 0, 1, 2)


def test_a_delegation_used_in_a_vote_can_no_longer_be_revoked(open_assembly, people, facilitator):
    assembly = open_assembly
    services.delegate_vote(actor=people[4].user, assembly=assembly, delegate=people[0])
    services.attendance_set(actor=facilitator.user, assembly=assembly, people=people[:3])
    services.decision_record(
        actor=facilitator.user, assembly=assembly, text="Yes.", method="consent", outcome="adopted"
    )

    with pytest.raises(ValidationError) as refused:
        services.delegation_revoke(actor=people[4].user, assembly=assembly)

    assert _codes(refused.value) == {"used"}


def test_no_delegation_once_the_assembly_is_closed(open_assembly, people, facilitator):
    services.assembly_set_status(actor=facilitator.user, assembly=open_assembly, status="closed")
    open_assembly.refresh_from_db()
    with pytest.raises(ValidationError):
        services.delegate_vote(actor=people[0].user, assembly=open_assembly, delegate=people[1])


def test_the_tally_shows_votes_by_delegation_on_the_page(
    open_assembly, people, facilitator, client
):
    assembly = open_assembly
    services.delegate_vote(actor=people[4].user, assembly=assembly, delegate=people[0])
    services.attendance_set(actor=facilitator.user, assembly=assembly, people=people[:3])
    client.force_login(people[2].user)

    page = client.get(assembly.get_absolute_url()).content.decode()

    assert "4 votes, 1 by delegation" in page
