"""The policies cast on top of the fixed one: an owning circle and its coordinator, active
members who answer consent rounds, a founding policy."""

from __future__ import annotations

import pytest

from circles.models import CircleMembership
from members.models import Person
from policies import services
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.policies.factories import PolicyFactory, PolicyVersionFactory

ACTIVE = Person.Participation.ACTIVE


def make_active(*people: Person) -> None:
    """Give each person a current membership in an active circle: the participation rule then
    makes them active, as it does on the network."""
    for person in people:
        CircleMembershipFactory(
            circle=CircleFactory(name="Stewards", slug="stewards"), person=person
        )


@pytest.fixture
def circle(db):
    return CircleFactory(name="Governance", slug="governance")


@pytest.fixture
def owner(coop, circle):
    """Coordinator of the circle that owns the policy."""
    person = PersonFactory(
        organisation=coop,
        display_name="Olga Owner",
        user__email="olga@camplight.coop",
    )
    CircleMembershipFactory(circle=circle, person=person, role=CircleMembership.Role.COORDINATOR)
    return person


@pytest.fixture
def voters(member, colleague, outsider):
    make_active(member, colleague, outsider)
    return member, colleague, outsider


@pytest.fixture
def policy(circle):
    policy = PolicyFactory(
        title="Decision making by consent", slug="decision-making", circle=circle
    )
    PolicyVersionFactory(policy=policy, number=1, text="We decide by consent.")
    return policy


@pytest.fixture
def public_policy(circle):
    policy = PolicyFactory(
        title="Feedback guidelines",
        slug="feedback",
        category="feedback",
        circle=circle,
        visibility="public",
    )
    PolicyVersionFactory(policy=policy, number=1, text="Feedback is kind and specific.")
    return policy


@pytest.fixture
def amendment(policy, member):
    return services.amendment_propose(
        actor=member.user,
        policy=policy,
        title="Seven days to answer",
        text="We decide by consent, within seven days.",
        rationale="People need time.",
    )


@pytest.fixture
def in_round(amendment, member, voters):
    services.amendment_move(actor=member.user, amendment=amendment, status="feedback")
    services.amendment_move(actor=member.user, amendment=amendment, status="consent")
    return amendment
