"""The amendment's life: states, consent rules, closing on time, adoption, the assembly's say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assemblies import services as assembly_services
from assemblies.models import AgendaItem, Assembly
from members.models import Person
from policies import services
from policies.models import (
    Amendment,
    AmendmentTransition,
    ConsentResponse,
    ConsentRound,
    PolicyVersion,
)
from tests.assemblies.factories import AssemblyFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

S = Amendment.Status
ALL = [s.value for s in S]
ALLOWED = {
    ("draft", "feedback"),
    ("draft", "withdrawn"),
    ("feedback", "consent"),
    ("feedback", "withdrawn"),
    ("consent", "adopted"),
    ("consent", "rejected"),
    ("consent", "withdrawn"),
}


def _put_in(amendment: Amendment, status: str, *, consented: bool = True) -> None:
    """Place the amendment in a state directly (the path there is tested elsewhere)."""
    Amendment.objects.filter(pk=amendment.pk).update(status=status)
    amendment.status = status
    if status == "consent":
        now = timezone.now()
        ConsentRound.objects.create(
            amendment=amendment,
            number=1,
            revision=1,
            opens_at=now - timedelta(days=8),
            closes_at=now - timedelta(days=1),
            closed_at=now - timedelta(days=1),
            outcome="consented" if consented else "objections",
        )


@pytest.mark.parametrize(
    ("start", "to"),
    [pytest.param(a, b, id=f"{a} -> {b}") for a in ALL for b in ALL if a != b],
)
def test_every_transition_is_allowed_or_refused_as_the_state_machine_says(
    start, to, amendment, member, network_admin
):
    _put_in(amendment, start)
    actor = network_admin if to in ("adopted", "rejected") else member.user
    if (start, to) in ALLOWED:
        services.amendment_move(actor=actor, amendment=amendment, status=to)
        amendment.refresh_from_db()
        assert amendment.status == to
        assert AmendmentTransition.objects.filter(
            amendment=amendment, from_status=start, to_status=to
        ).exists()
    else:
        with pytest.raises(ValidationError):
            services.amendment_move(actor=actor, amendment=amendment, status=to)
        amendment.refresh_from_db()
        assert amendment.status == start
        assert not AmendmentTransition.objects.filter(amendment=amendment).exists()


def test_only_the_proposer_or_an_admin_moves_an_amendment(amendment, colleague):
    with pytest.raises(PermissionDenied):
        services.amendment_move(actor=colleague.user, amendment=amendment, status="feedback")
    assert Amendment.objects.get(pk=amendment.pk).status == "draft"


def test_opening_the_consent_round_lasts_seven_days_by_default(in_round):
    round = services.open_round(in_round)
    assert round.closes_at - round.opens_at == timedelta(days=7)
    assert round.revision == 1


def test_an_objection_without_a_reason_is_refused(in_round, colleague):
    round = services.open_round(in_round)
    with pytest.raises(ValidationError) as error:
        services.consent_respond(actor=colleague.user, round=round, answer="objection", reason=" ")
    assert "reason" in error.value.message_dict
    assert not ConsentResponse.objects.exists()


def test_the_database_refuses_an_objection_without_a_reason_too(in_round, colleague):
    round = services.open_round(in_round)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentResponse.objects.create(round=round, person=colleague, answer="objection")


def test_one_response_per_member_changeable_until_the_round_closes(in_round, colleague):
    round = services.open_round(in_round)
    services.consent_respond(actor=colleague.user, round=round, answer="concern", reason="Hmm")
    services.consent_respond(actor=colleague.user, round=round, answer="consent")
    assert list(round.responses.values_list("answer", flat=True)) == ["consent"]

    services.rounds_close_due(now=round.closes_at)
    round.refresh_from_db()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.consent_respond(actor=colleague.user, round=round, answer="objection", reason="x")
    assert list(round.responses.values_list("answer", flat=True)) == ["consent"]


def test_passive_members_do_not_answer_rounds(in_round, colleague):
    Person.objects.filter(pk=colleague.pk).update(participation=Person.Participation.PASSIVE)
    colleague.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.consent_respond(
            actor=colleague.user, round=services.open_round(in_round), answer="consent"
        )


def test_revising_the_text_restarts_the_round_for_those_who_had_answered(
    in_round, member, colleague, outsider
):
    first = services.open_round(in_round)
    services.consent_respond(actor=colleague.user, round=first, answer="consent")
    objection = services.consent_respond(
        actor=outsider.user, round=first, answer="objection", reason="Seven days is short."
    )

    services.amendment_revise(
        actor=member.user,
        amendment=in_round,
        text="We decide by consent, within ten days.",
        integrates=[objection.pk],
    )

    first.refresh_from_db()
    second = services.open_round(in_round)
    assert first.outcome == "revised" and first.closed_at is not None
    assert second.number == 2 and second.revision == 2
    assert not second.responses.exists()  # everyone answers the new text again
    objection.refresh_from_db()
    assert objection.resolution == "integrated"


def test_the_objector_withdraws_an_objection(in_round, outsider):
    round = services.open_round(in_round)
    objection = services.consent_respond(
        actor=outsider.user, round=round, answer="objection", reason="Too short."
    )
    services.objection_withdraw(actor=outsider.user, response=objection)
    assert not services.open_objections(round).exists()


def test_the_round_closes_on_time_and_not_before(in_round):
    round = services.open_round(in_round)
    assert services.rounds_close_due(now=round.closes_at - timedelta(seconds=1)) == []
    assert services.rounds_close_due(now=round.closes_at) == [round.pk]
    assert services.rounds_close_due(now=round.closes_at) == []
    round.refresh_from_db()
    assert round.outcome == "consented"


def test_adoption_after_a_clear_round_creates_the_next_version(in_round, network_admin, policy):
    round = services.open_round(in_round)
    services.rounds_close_due(now=round.closes_at)
    services.amendment_adopt(actor=network_admin, amendment=in_round)

    version = policy.versions.get(number=2)
    assert version.text == in_round.text
    assert version.consent_round == round and version.amendment == in_round
    with pytest.raises(ValidationError):
        services.amendment_adopt(actor=network_admin, amendment=in_round)
    assert policy.versions.count() == 2


def test_an_open_objection_blocks_adoption_by_an_admin(in_round, network_admin, outsider):
    round = services.open_round(in_round)
    services.consent_respond(actor=outsider.user, round=round, answer="objection", reason="No.")
    services.rounds_close_due(now=round.closes_at)
    with pytest.raises(ValidationError):
        services.amendment_adopt(actor=network_admin, amendment=in_round)
    assert not PolicyVersion.objects.filter(amendment=in_round).exists()


def test_the_policy_owner_may_adopt_and_a_plain_member_may_not(in_round, owner, colleague):
    round = services.open_round(in_round)
    services.rounds_close_due(now=round.closes_at)
    with pytest.raises(PermissionDenied):
        services.amendment_adopt(actor=colleague.user, amendment=in_round)
    services.amendment_adopt(actor=owner.user, amendment=in_round)
    assert Amendment.objects.get(pk=in_round.pk).status == "adopted"


def test_an_adopted_version_cannot_be_changed(policy):
    version = policy.versions.get()
    version.text = "Changed behind everyone's back."
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(Exception, match="cannot be changed"), transaction.atomic():
        PolicyVersion.objects.filter(pk=version.pk).update(text="Sneaky")
    assert PolicyVersion.objects.get(pk=version.pk).text == "We decide by consent."


def test_a_new_policy_amendment_creates_the_policy_when_adopted(member, network_admin, voters):
    amendment = services.amendment_propose(
        actor=member.user,
        title="Pay transparency",
        text="Pay ranges are published.",
        rationale="Trust.",
        new_policy_category="compensation",
    )
    services.amendment_move(actor=member.user, amendment=amendment, status="feedback")
    services.amendment_move(actor=member.user, amendment=amendment, status="consent")
    services.rounds_close_due(now=services.open_round(amendment).closes_at)
    services.amendment_adopt(actor=network_admin, amendment=amendment)
    amendment.refresh_from_db()
    assert amendment.policy.title == "Pay transparency"
    assert amendment.policy.versions.get().number == 1


# The assembly's say ---------------------------------------------------------------------------
@pytest.fixture
def escalated(in_round, outsider):
    round = services.open_round(in_round)
    services.consent_respond(actor=outsider.user, round=round, answer="objection", reason="No.")
    services.rounds_close_due(now=round.closes_at)
    return in_round


def test_unresolved_objections_reach_the_next_assembly_agenda_once(escalated, network_admin):
    next_one = AssemblyFactory(start=timezone.now() + timedelta(days=10))
    later = AssemblyFactory(start=timezone.now() + timedelta(days=40))
    key = f"policies:amendment-{escalated.pk}"

    assembly_services.agenda_build(actor=network_admin, assembly=later)
    assembly_services.agenda_build(actor=network_admin, assembly=next_one)
    assembly_services.agenda_build(actor=network_admin, assembly=next_one)
    assembly_services.agenda_build(actor=network_admin, assembly=later)

    items = AgendaItem.objects.filter(source_key=key)
    assert [(i.assembly_id, i.kind) for i in items] == [(next_one.pk, "decision")]


def _open_on_its_day(network_admin, assembly):
    """Decisions are taken in an open assembly, which opens on its day: the clock moves on to
    the assembly's day (its start moves to now) and the admin opens it."""
    Assembly.objects.filter(pk=assembly.pk).update(start=timezone.now())
    assembly.refresh_from_db()
    assembly_services.assembly_set_status(actor=network_admin, assembly=assembly, status="open")
    return assembly


def _decide(escalated, network_admin, outcome: str):
    assembly = AssemblyFactory(start=timezone.now() + timedelta(days=10))
    assembly_services.agenda_build(actor=network_admin, assembly=assembly)
    item = AgendaItem.objects.get(source_key=f"policies:amendment-{escalated.pk}")
    _open_on_its_day(network_admin, assembly)
    return assembly_services.decision_record(
        actor=network_admin,
        assembly=assembly,
        agenda_item=item,
        text="Decided.",
        method="consent",
        outcome=outcome,
        without_quorum=True,
    )


def test_the_assembly_decision_adopts_the_amendment(escalated, network_admin, policy):
    decision = _decide(escalated, network_admin, "adopted")
    version = policy.versions.get(number=2)
    assert version.decision == decision
    assert Amendment.objects.get(pk=escalated.pk).status == "adopted"


def test_the_assembly_decision_rejects_the_amendment(escalated, network_admin, policy):
    _decide(escalated, network_admin, "rejected")
    assert Amendment.objects.get(pk=escalated.pk).status == "rejected"
    assert policy.versions.count() == 1


def test_a_decision_on_another_item_leaves_amendments_alone(escalated, network_admin):
    assembly = _open_on_its_day(network_admin, AssemblyFactory())
    assembly_services.decision_record(
        actor=network_admin,
        assembly=assembly,
        text="Buy a kettle.",
        method="vote",
        outcome="adopted",
        votes_for=3,
        votes_against=0,
        without_quorum=True,
    )
    assert Amendment.objects.get(pk=escalated.pk).status == "consent"


def test_people_without_an_account_cannot_propose(policy):
    ghost = PersonFactory(user=None)
    with pytest.raises(PermissionDenied):
        services.amendment_propose(
            actor=getattr(ghost, "user", None), policy=policy, title="x", text="y", rationale="z"
        )
