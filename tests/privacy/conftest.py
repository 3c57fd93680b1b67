"""The privacy cast: Mila, with a row in every app that holds something about her."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import ApiToken
from assemblies.models import Attendance, CalendarFeedToken, Rsvp
from circles.models import MembershipRequest
from fund import services as fund_services
from fund.models import Contribution, LedgerEntry, PayoutClaim
from members import services as member_services
from members.models import Invitation, Person
from policies.models import ConsentResponse, ConsentRound
from projects.models import Interest, TeamMembership
from tests.assemblies.factories import AssemblyFactory
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory, PersonLanguageFactory, PersonSkillFactory
from tests.fund.factories import HourlyRateFactory, last_month
from tests.policies.factories import AmendmentFactory
from tests.projects.factories import OpportunityFactory, TeamMembershipFactory


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"


@dataclass
class Footprint:
    person: Person
    contribution: Contribution
    ledger_entry: LedgerEntry
    claim: PayoutClaim
    rsvp: Rsvp
    consent: ConsentResponse
    interest: Interest
    team_membership: TeamMembership


@pytest.fixture
def footprint(member, coop_admin) -> Footprint:
    """Mila's rows across the apps, and a contribution (so a ledger entry) she recorded."""
    member.bio = "Designer in Sofia."
    member.phone = "+359 888 123"
    member.save(update_fields=["bio", "phone"])
    PersonSkillFactory(person=member, skill__name="Figma", level=3)
    PersonLanguageFactory(person=member)
    work = CircleFactory(name="Communications", slug="communications")
    CircleMembershipFactory(circle=work, person=member, start_date=datetime.date(2024, 1, 1))
    MembershipRequest.objects.create(
        circle=CircleFactory(name="Design", slug="design"),
        person=member,
        kind=MembershipRequest.Kind.JOIN,
        message="I would love to help, call me on +359 888 123",
    )
    # She records her co-op's contribution: a ledger entry names her account.
    member_services.person_set_coop_admin(actor=coop_admin.user, person=member, is_admin=True)
    contribution = fund_services.contribution_record(
        actor=member.user,
        organisation=member.organisation,
        amount=Decimal("250.00"),
        currency="EUR",
        received_on=datetime.date(2025, 3, 1),
        note='=HYPERLINK("http://evil.example")',
    )
    # A finance approver confirms it: only then is it in the ledger.
    confirmer = PersonFactory(organisation=coop_admin.organisation, display_name="Fatima Finance")
    CircleMembershipFactory(
        circle=CircleFactory(name="Finance", slug="finance"),
        person=confirmer,
        start_date=datetime.date(2024, 1, 1),
    )
    fund_services.contribution_confirm(actor=confirmer.user, contribution=contribution)
    HourlyRateFactory(currency="EUR", rate=Decimal("25.00"))
    start, end = last_month()
    claim = fund_services.claim_create(
        actor=member.user,
        circle=work,
        period_start=start,
        period_end=end,
        hours=Decimal("4"),
        description="Newsletter.",
        currency="EUR",
        submit=True,
    )
    assembly = AssemblyFactory()
    rsvp = Rsvp.objects.create(assembly=assembly, person=member, answer=Rsvp.Answer.GOING)
    Attendance.objects.create(assembly=assembly, person=member)
    CalendarFeedToken.objects.create(person=member, digest="d" * 64)
    amendment = AmendmentFactory(proposer=coop_admin)
    now = timezone.now()
    round_ = ConsentRound.objects.create(
        amendment=amendment, revision=1, opens_at=now, closes_at=now + datetime.timedelta(days=7)
    )
    consent = ConsentResponse.objects.create(
        round=round_, person=member, answer=ConsentResponse.Answer.CONCERN, reason="Too fast."
    )
    interest = Interest.objects.create(
        opportunity=OpportunityFactory(), person=member, note="Reach me on +359 888 123"
    )
    team_membership = TeamMembershipFactory(person=member)
    Invitation.objects.create(
        organisation=member.organisation,
        email=member.user.email,
        token_hash=Invitation.hash_token("t" * 40),
        expires_at=now + datetime.timedelta(days=3),
    )
    ApiToken.objects.create(
        name="My tool",
        user=member.user,
        prefix="abcdef1234",
        secret_hash="0" * 64,
        expires_at=now + datetime.timedelta(days=30),
    )
    Authenticator.objects.create(user=member.user, type=Authenticator.Type.TOTP, data={})
    member.refresh_from_db()
    return Footprint(
        person=member,
        contribution=contribution,
        ledger_entry=LedgerEntry.objects.get(contribution=contribution),
        claim=claim,
        rsvp=rsvp,
        consent=consent,
        interest=interest,
        team_membership=team_membership,
    )
