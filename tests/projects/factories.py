"""Factories for job opportunities. They write rows directly: tests of the services call them."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from projects.models import (
    Opportunity,
    OpportunityRole,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)
from tests.circles.factories import CircleFactory
from tests.factories import PersonFactory, SkillFactory


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "Build a **member portal** for a housing co-op."
    circle = factory.SubFactory(CircleFactory)
    posted_by = factory.SubFactory(PersonFactory)
    status = Opportunity.Status.OPEN
    visibility = Opportunity.Visibility.MEMBERS


class _RoleFactory(DjangoModelFactory):
    """What a role starts with, on an opportunity or on a team: the team's roles follow the
    opportunity's while it is staffed."""

    class Meta:
        abstract = True

    title = "Developer"
    hours_per_week = 10


class _RoleSkillFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    skill = factory.SubFactory(SkillFactory)
    min_level = 2


class RoleFactory(_RoleFactory):
    class Meta:
        model = OpportunityRole

    opportunity = factory.SubFactory(OpportunityFactory)


class RoleSkillFactory(_RoleSkillFactory):
    class Meta:
        model = RoleSkill

    role = factory.SubFactory(RoleFactory)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    description = "Keep the **member portal** running."
    circle = factory.SubFactory(CircleFactory)


class TeamRoleFactory(_RoleFactory):
    class Meta:
        model = TeamRole

    project = factory.SubFactory(ProjectFactory)


class TeamRoleSkillFactory(_RoleSkillFactory):
    class Meta:
        model = TeamRoleSkill

    role = factory.SubFactory(TeamRoleFactory)


class TeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = TeamMembership

    role = factory.SubFactory(TeamRoleFactory)
    project = factory.LazyAttribute(lambda o: o.role.project)
    person = factory.SubFactory(PersonFactory)
    status = TeamMembership.Status.ACCEPTED
    hours_per_week = factory.LazyAttribute(lambda o: o.role.hours_per_week)
