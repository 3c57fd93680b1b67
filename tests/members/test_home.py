"""The member's home at "/": what waits for them (each item for the person it concerns, and not
for anyone else), opportunities that fit them, their teams; visitors get the network at a glance.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assemblies.models import Assembly, Rsvp
from circles.models import CircleMembership
from circles.services import participation_refresh
from feedback import services as feedback_services
from fund import services as fund_services
from intake.models import HelpRequest
from members.models import Person
from patio.dates import network_today
from policies.models import Amendment, ConsentResponse, ConsentRound
from projects.models import Opportunity, TeamMembership
from tests.assemblies.factories import ActionItemFactory, AssemblyFactory
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory, PersonSkillFactory, SkillFactory
from tests.fund.factories import HourlyRateFactory, last_month
from tests.intake.factories import HelpRequestFactory
from tests.policies.factories import AmendmentFactory
from tests.projects.factories import (
    RoleFactory,
    RoleSkillFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
)

pytestmark = pytest.mark.django_db

SINCE = network_today() - timedelta(days=200)


def _home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _in_circle(person, circle, role=CircleMembership.Role.MEMBER):
    CircleMembershipFactory(circle=circle, person=person, role=role, start_date=SINCE)
    participation_refresh([person.pk])
    person.refresh_from_db()
    return person


# Who sees which page ----------------------------------------------------------------------------
def test_a_visitor_gets_the_network_at_a_glance(client):
    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The network at a glance" in page
    assert "What waits for you" not in page


def test_a_member_gets_their_home_and_the_network_is_one_click_away(client, member):
    page = _home(client, member.user)

    assert "Welcome, Mila Member" in page
    assert "What waits for you" in page
    assert 'href="/network/"' in page
    network = client.get("/network/")
    assert network.status_code == 200
    assert "member co-ops" in network.content.decode()


def test_a_visitor_sees_the_network_page_too(client):
    response = client.get("/network/")

    assert response.status_code == 200
    assert "The network at a glance" in response.content.decode()


def test_with_nothing_waiting_the_home_says_so_and_what_to_do(client, member):
    page = _home(client, member.user)

    assert 'id="waiting-empty"' in page
    # no skills yet: the opportunities section says to add them, with the link to the profile
    assert 'id="home-opportunities-empty"' in page and "Add your skills" in page
    assert 'href="/me/"' in page
    assert 'id="home-teams-empty"' in page


# What waits for me, one source at a time --------------------------------------------------------
def test_an_assembly_not_answered_waits_for_rsvp_until_answered(client, member, colleague):
    assembly = AssemblyFactory(title="December assembly")
    Rsvp.objects.create(assembly=assembly, person=colleague, answer=Rsvp.Answer.GOING)

    assert f'href="/assemblies/{assembly.pk}/#rsvp-heading"' in _home(client, member.user)
    assert "December assembly" not in _home(client, colleague.user)


def test_past_and_cancelled_assemblies_ask_for_no_rsvp(client, member):
    AssemblyFactory(title="Long gone", start=timezone.now() - timedelta(days=3))
    AssemblyFactory(title="Called off", status=Assembly.Status.CANCELLED)

    page = _home(client, member.user)

    assert "Long gone" not in page and "Called off" not in page


def test_a_consent_round_waits_for_active_members_who_have_not_answered(
    client, member, colleague, outsider
):
    circle = CircleFactory(name="Education")
    for person in (member, colleague):
        _in_circle(person, circle)
    amendment = AmendmentFactory(
        title="Answer within ten days", status=Amendment.Status.CONSENT, proposer=colleague
    )
    now = timezone.now()
    round = ConsentRound.objects.create(
        amendment=amendment,
        number=1,
        revision=1,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
    )
    ConsentResponse.objects.create(round=round, person=colleague, answer="consent")
    assert outsider.participation == Person.Participation.PASSIVE  # in no circle

    page = _home(client, member.user)

    assert f'href="/policies/amendments/{amendment.pk}/#round"' in page
    assert "Answer within ten days" not in _home(client, colleague.user)  # answered
    assert "Answer within ten days" not in _home(client, outsider.user)  # not active


def test_a_team_invitation_waits_for_the_invitee_only(client, member, colleague):
    role = TeamRoleFactory(project__name="Housing portal", title="Designer")
    TeamMembershipFactory(role=role, person=member, status=TeamMembership.Status.INVITED)

    page = _home(client, member.user)

    assert "Team invitations to answer" in page
    assert f'href="/projects/{role.project.pk}/#team-heading"' in page
    assert "Housing portal" not in _home(client, colleague.user)


def test_an_accepted_seat_shows_under_my_teams_not_as_waiting(client, member):
    role = TeamRoleFactory(project__name="Housing portal", title="Designer")
    TeamMembershipFactory(role=role, person=member, status=TeamMembership.Status.ACCEPTED)

    page = _home(client, member.user)

    assert "Team invitations to answer" not in page
    assert 'id="home-teams"' in page and "Housing portal" in page
    assert 'id="home-teams-empty"' not in page


def test_my_open_action_items_wait_for_me_not_for_others(client, member, colleague):
    ActionItemFactory(owner=member, description="Translate the fund rules")

    page = _home(client, member.user)

    assert "Translate the fund rules" in page
    assert f'href="/people/{member.pk}/#person-actions-heading"' in page
    assert "Translate the fund rules" not in _home(client, colleague.user)


def test_new_help_requests_wait_for_triagers_only(client, member, colleague):
    triage = CircleFactory(name="Job opportunities", triages_help_requests=True)
    _in_circle(colleague, triage, CircleMembership.Role.COORDINATOR)
    waiting = HelpRequestFactory(organisation_name="Asociación Vecinal Sur")
    HelpRequestFactory(organisation_name="Done already", status=HelpRequest.Status.ANSWERED)

    page = _home(client, colleague.user)

    assert "Asociación Vecinal Sur" in page and f'href="/request-help/{waiting.pk}/"' in page
    assert "Done already" not in page
    assert "Asociación Vecinal Sur" not in _home(client, member.user)


@pytest.fixture
def finance(coop, other_coop):
    """A finance circle of three, a claimant in another circle, and money in the fund."""
    finance = CircleFactory(name="Finance", slug="finance")
    approvers = [
        _in_circle(PersonFactory(organisation=other_coop, display_name=name), finance)
        for name in ("Fatima Finance", "Felix Finance", "Flora Finance")
    ]
    work = CircleFactory(name="Communications")
    claimant = _in_circle(PersonFactory(organisation=coop, display_name="Carla Claimant"), work)
    HourlyRateFactory(currency="EUR", rate=Decimal("25.00"))
    start, end = last_month()

    def claim(hours="10"):
        return fund_services.claim_create(
            actor=claimant.user,
            circle=work,
            period_start=start,
            period_end=end,
            hours=Decimal(hours),
            description="Newsletter.",
            currency="EUR",
            submit=True,
        )

    return {"approvers": approvers, "claimant": claimant, "claim": claim}


def test_a_submitted_claim_waits_for_approvers_who_have_not_approved_it(client, member, finance):
    fatima, felix, _flora = finance["approvers"]
    claim = finance["claim"]()
    fund_services.claim_approve(actor=felix.user, claim=claim)

    page = _home(client, fatima.user)

    assert "Payout claims to approve or pay" in page
    assert f'href="/fund/claims/{claim.pk}/"' in page and "1 of 2 approvals" in page
    assert f"/fund/claims/{claim.pk}/" not in _home(client, felix.user)  # approved already
    assert f"/fund/claims/{claim.pk}/" not in _home(client, finance["claimant"].user)
    assert f"/fund/claims/{claim.pk}/" not in _home(client, member.user)


def test_an_approved_claim_waits_to_be_paid_by_the_finance_circle(client, finance):
    fatima, felix, flora = finance["approvers"]
    claim = finance["claim"]()
    fund_services.claim_approve(actor=felix.user, claim=claim)
    fund_services.claim_approve(actor=flora.user, claim=claim)

    page = _home(client, fatima.user)

    assert f'href="/fund/claims/{claim.pk}/"' in page and "approved, to pay" in page


# Opportunities that fit me ----------------------------------------------------------------------
@pytest.fixture
def django_opportunity(db):
    django = SkillFactory(name="Django")
    role = RoleSkillFactory(
        skill=django,
        min_level=3,
        role__hours_per_week=10,
        role__opportunity__title="Booking system for a kitchen",
    ).role
    return role.opportunity, django


def test_an_open_opportunity_fits_people_with_the_skills_and_hours(
    client, member, colleague, outsider, django_opportunity
):
    opportunity, django = django_opportunity
    PersonSkillFactory(person=member, skill=django, level=4)
    PersonSkillFactory(person=colleague, skill=django, level=2)  # below the minimum level
    PersonSkillFactory(person=outsider, skill=django, level=4)
    Person.objects.filter(pk=outsider.pk).update(hours_per_week=5)  # fewer hours than the role

    page = _home(client, member.user)

    assert f'href="/opportunities/{opportunity.pk}/"' in page
    assert "Booking system for a kitchen" not in _home(client, colleague.user)
    assert "Booking system for a kitchen" not in _home(client, outsider.user)


def test_drafts_closed_ones_and_my_own_opportunities_are_not_offered(
    client, member, django_opportunity
):
    _opportunity, django = django_opportunity
    PersonSkillFactory(person=member, skill=django, level=4)
    draft = RoleSkillFactory(
        skill=django,
        role__opportunity__title="Still a draft",
        role__opportunity__status=Opportunity.Status.DRAFT,
    )
    mine = RoleSkillFactory(
        skill=django, role__opportunity__title="Posted by me", role__opportunity__posted_by=member
    )
    assert draft and mine

    page = _home(client, member.user)

    assert "Booking system for a kitchen" in page
    assert "Still a draft" not in page and "Posted by me" not in page


def test_an_opportunity_in_a_language_i_do_not_speak_is_not_offered(
    client, member, django_opportunity
):
    from tests.factories import LanguageFactory

    opportunity, django = django_opportunity
    PersonSkillFactory(person=member, skill=django, level=4)
    opportunity.working_languages.add(LanguageFactory(code="pt", name="Portuguese"))

    assert "Booking system for a kitchen" not in _home(client, member.user)


# Constant queries ---------------------------------------------------------------------------------
@pytest.fixture
def busy(coop, other_coop):
    """A person in the finance circle and coordinating a triage circle, and `add(n)`: n more
    items waiting for them from every source."""
    person = PersonFactory(organisation=coop, display_name="Busy Bee")
    _in_circle(person, CircleFactory(name="Finance", slug="finance"))
    triage = CircleFactory(name="Job opportunities", triages_help_requests=True)
    _in_circle(person, triage, CircleMembership.Role.COORDINATOR)
    work = CircleFactory(name="Communications")
    claimant = _in_circle(PersonFactory(organisation=other_coop), work)
    HourlyRateFactory(currency="EUR", rate=Decimal("25.00"))
    django = SkillFactory(name="Django")
    PersonSkillFactory(person=person, skill=django, level=4)
    start, end = last_month()

    def add(n: int) -> None:
        now = timezone.now()
        for i in range(n):
            AssemblyFactory(start=now + timedelta(days=10 + i))
            ActionItemFactory(owner=person)
            HelpRequestFactory()
            amendment = AmendmentFactory(status=Amendment.Status.CONSENT)
            ConsentRound.objects.create(
                amendment=amendment,
                number=1,
                revision=1,
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=6 + i),
            )
            role = TeamRoleFactory()
            TeamMembershipFactory(role=role, person=person, status=TeamMembership.Status.INVITED)
            seat = TeamMembershipFactory(person=person, status=TeamMembership.Status.ACCEPTED)
            mate = TeamMembershipFactory(role__project=seat.project).person
            feedback_services.feedback_request(
                actor=mate.user, respondents=[person], project=seat.project
            )
            RoleSkillFactory(skill=django, role=RoleFactory())
            fund_services.claim_create(
                actor=claimant.user,
                circle=work,
                period_start=start,
                period_end=end,
                hours=Decimal("4"),
                description="Newsletter.",
                currency="EUR",
                submit=True,
            )

    return person, add


HEADINGS = (
    "Assemblies: will you come?",
    "Consent rounds waiting for your answer",
    "Team invitations to answer",
    "Payout claims to approve or pay",
    "Your action items",
    "Requests for help to triage",
    "Feedback asked of you",
    "Opportunities that fit you",
    "Your teams",
)
# session, user, each section (the fund reads its circle thrice; offers once), the header bell
MAX_QUERIES = 30


def test_the_home_costs_the_same_queries_with_one_or_many_items_waiting(
    client, busy, count_queries, django_assert_max_num_queries
):
    person, add = busy
    client.force_login(person.user)
    add(1)
    client.get("/")  # warm the per-process caches (content types, settings rows)
    with django_assert_max_num_queries(MAX_QUERIES), count_queries() as small:
        page = client.get("/").content.decode()
    assert all(heading in page for heading in HEADINGS)
    assert "+)" not in page

    add(8)
    with django_assert_max_num_queries(MAX_QUERIES), count_queries() as big:
        page = client.get("/").content.decode()

    assert all(heading in page for heading in HEADINGS)
    assert "(5+)" in page  # the first five of each, and a link to the rest
    assert big.count == small.count, big.report()


def test_a_network_admin_without_a_person_gets_a_home_with_what_they_can_act_on(
    client, network_admin
):
    waiting = HelpRequestFactory(organisation_name="Asociación Vecinal Sur")

    page = _home(client, network_admin)

    assert "Your home" in page
    assert f'href="/request-help/{waiting.pk}/"' in page  # admins triage too
    assert "Opportunities that fit you" not in page  # nothing to match without a profile


# The glance is counted off the request ---------------------------------------------------------
def test_after_a_change_the_glance_is_served_as_last_counted_and_counted_again_once(client):
    """Counting the network takes seconds at a million people: after a directory write a
    reader gets the last count at once, one recount is queued however many read, and the
    recount brings the new figure."""
    from members import selectors
    from members.tasks import count_network_glance
    from tests.conftest import queued
    from tests.factories import OrganisationFactory

    before = client.get("/").context["glance"]["organisations"]
    OrganisationFactory()
    selectors.directory_changed()  # what every directory service does on commit

    stale = [client.get("/").context["glance"]["organisations"] for _ in range(3)]
    assert stale == [before] * 3
    assert queued(count_network_glance) == [[]]

    count_network_glance()
    assert client.get("/").context["glance"]["organisations"] == before + 1
    assert queued(count_network_glance) == [[]]  # fresh again: nothing more asked for
