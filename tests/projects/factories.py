"""Factories for job opportunities. They write rows directly: tests of the services call them."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from circles.models import Circle, CircleMembership
from projects.models import (
    Opportunity,
    OpportunityRole,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)
from tests.factories import PersonFactory, SkillFactory


class CircleFactory(DjangoModelFactory):
    class Meta:
        model = Circle
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    purpose = "Staff the work the network brings in."


class CoordinatorFactory(DjangoModelFactory):
    class Meta:
        model = CircleMembership

    circle = factory.SubFactory(CircleFactory)
    person = factory.SubFactory(PersonFactory)
    role = CircleMembership.Role.COORDINATOR


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "Build a **member portal** for a housing co-op."
    circle = factory.SubFactory(CircleFactory)
    posted_by = factory.SubFactory(PersonFactory)
    status = Opportunity.Status.OPEN
    visibility = Opportunity.Visibility.MEMBERS


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = OpportunityRole

    opportunity = factory.SubFactory(OpportunityFactory)
    title = "Developer"
    hours_per_week = 10


class RoleSkillFactory(DjangoModelFactory):
    class Meta:
        model = RoleSkill

    role = factory.SubFactory(RoleFactory)
    skill = factory.SubFactory(SkillFactory)
    min_level = 2


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    description = "Keep the **member portal** running."
    circle = factory.SubFactory(CircleFactory)


class TeamRoleFactory(DjangoModelFactory):
    class Meta:
        model = TeamRole

    project = factory.SubFactory(ProjectFactory)
    title = "Developer"
    hours_per_week = 10


class TeamRoleSkillFactory(DjangoModelFactory):
    class Meta:
        model = TeamRoleSkill

    role = factory.SubFactory(TeamRoleFactory)
    skill = factory.SubFactory(SkillFactory)
    min_level = 2


class TeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = TeamMembership

    role = factory.SubFactory(TeamRoleFactory)
    project = factory.LazyAttribute(lambda o: o.role.project)
    person = factory.SubFactory(PersonFactory)
    status = TeamMembership.Status.ACCEPTED
    hours_per_week = factory.LazyAttribute(lambda o: o.role.hours_per_week)
