"""The cast for job opportunities: a circle and its coordinator, another circle and its own."""

from __future__ import annotations

import pytest

from tests import matrix
from tests.circles.factories import CircleFactory, CoordinatorFactory
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SkillFactory,
)
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory


@pytest.fixture
def circle(db):
    return CircleFactory(name="Job opportunities", slug="job-opportunities")


@pytest.fixture
def other_circle(db):
    return CircleFactory(name="Communication", slug="communication")


@pytest.fixture
def coordinator(coop, circle):
    """Cora coordinates the `circle` (and is a person of `coop`)."""
    person = PersonFactory(
        organisation=coop, display_name="Cora Coordinator", user__email="cora@camplight.coop"
    )
    CoordinatorFactory(circle=circle, person=person)
    return person


@pytest.fixture
def other_coordinator(other_coop, other_circle):
    """Otto coordinates another circle, not `circle`."""
    person = PersonFactory(
        organisation=other_coop, display_name="Otto Other", user__email="otto@facttic.coop"
    )
    CoordinatorFactory(circle=other_circle, person=person)
    return person


# The columns of the team permission matrices, played by `team_cast`.
TEAM_ROLES = (
    "visitor",
    "member",
    "coordinator",
    "other_coordinator",
    "lead",
    "network_admin",
    *matrix.TOKEN_ROLES,
)


@pytest.fixture
def lead(other_coop):
    """Lea leads the projects the team matrices act on, and coordinates no circle."""
    return PersonFactory(organisation=other_coop, display_name="Lea Lead")


@pytest.fixture
def team_cast(member, coordinator, other_coordinator, lead, network_admin) -> matrix.Cast:
    """Who plays each of `TEAM_ROLES`; the tokens act as the coordinator."""
    return matrix.Cast(
        users={
            "member": member.user,
            "coordinator": coordinator.user,
            "other_coordinator": other_coordinator.user,
            "lead": lead.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(created_by=network_admin, user=coordinator.user),
    )


@pytest.fixture
def django_skill(db):
    return SkillFactory(name="Django")


@pytest.fixture
def figma(db):
    return SkillFactory(name="Figma")


@pytest.fixture
def english(db):
    return LanguageFactory(code="en", name="English")


@pytest.fixture
def spanish(db):
    return LanguageFactory(code="es", name="Spanish")


@pytest.fixture
def two_roles(django_skill, figma):
    return [
        {
            "title": "Backend developer",
            "headcount": 2,
            "hours_per_week": 20,
            "skills": [{"skill": django_skill, "min_level": 3, "weight": 5}],
        },
        {
            "title": "Designer",
            "headcount": 1,
            "hours_per_week": 8,
            "skills": [{"skill": figma, "min_level": 2, "weight": 3}],
        },
    ]


# Teams: an open opportunity with three roles and a network of people who fit them -------------
@pytest.fixture
def docker(db):
    return SkillFactory(name="Docker")


@pytest.fixture
def staffing(coop, other_coop, circle, coordinator, django_skill, figma, docker, english):
    """Cora's circle has an open opportunity for a backend developer, a designer and a sysadmin.
    Six people of three co-ops fit one role or another; the best ones are named Best."""
    from members.models import Organisation

    third_coop = OrganisationFactory(name="Tierra Común", slug="tierra-comun", country="MX")
    opportunity = OpportunityFactory(
        circle=circle, posted_by=coordinator, title="Member portal", source_coop=coop
    )
    opportunity.working_languages.set([english])
    for title, skill, level in (
        ("Backend developer", django_skill, 3),
        ("Designer", figma, 2),
        ("Sysadmin", docker, 2),
    ):
        RoleSkillFactory(
            role=RoleFactory(opportunity=opportunity, title=title, hours_per_week=10),
            skill=skill,
            min_level=level,
            weight=3,
        )
    people = {}
    for name, org, skill, level, hours in (
        ("Best Backend", coop, django_skill, 4, 20),
        ("Second Backend", other_coop, django_skill, 3, 20),
        ("Best Designer", other_coop, figma, 4, 20),
        ("Second Designer", third_coop, figma, 2, 12),
        ("Best Sysadmin", third_coop, docker, 4, 20),
        ("Second Sysadmin", coop, docker, 2, 12),
    ):
        person = PersonFactory(
            organisation=org,
            display_name=name,
            hours_per_week=hours,
            user__email=f"{name.lower().replace(' ', '.')}@example.coop",
        )
        PersonSkillFactory(person=person, skill=skill, level=level)
        PersonLanguageFactory(person=person, language=english)
        people[name] = person
    assert Organisation.objects.count() == 3
    return opportunity, people
