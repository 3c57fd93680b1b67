"""The cast for job opportunities: a circle and its coordinator, another circle and its own."""

from __future__ import annotations

import pytest

from tests.factories import LanguageFactory, PersonFactory, SkillFactory
from tests.projects.factories import CircleFactory, CoordinatorFactory


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
