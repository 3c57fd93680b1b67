"""The case studies' cast: a finished project built with factories (rows as the projects app
writes them, nothing derived), with its lead, a team from two co-ops in two countries and the
catalogue entries its description names. Case studies are made through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from casestudies import services
from casestudies.models import CaseStudy, ProjectSoftware
from catalogue import services as catalogue_services
from catalogue.models import FunctionCategory, Software
from members.models import Person
from projects.models import Project, TeamMembership
from tests.factories import OrganisationFactory, PersonFactory, SkillFactory
from tests.projects.factories import (
    ProjectFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
    TeamRoleSkillFactory,
)


@dataclass
class Team:
    project: Project
    lead: Person
    worker: Person  # another person who worked in the team, of another co-op
    left: Person  # someone who worked in it and left before the end
    declined: Person  # invited, declined: not part of the team
    loomio: Software
    decidim: Software


@pytest.fixture
def entries(network_admin) -> dict[str, Software]:
    governance = FunctionCategory.objects.create(name="Governance", slug="governance")
    made = {}
    for name in ("Loomio", "Decidim", "Quiet Draft"):
        made[name] = catalogue_services.software_create(
            actor=network_admin,
            data={
                "name": name,
                "summary": f"{name} for decisions.",
                "licence": "AGPL-3.0-or-later",
                "features": ["Proposals and votes"],
                "status": "draft" if name == "Quiet Draft" else "published",
            },
            m2m={"categories": [governance]},
        )
    return made


def build_team(
    coop,
    other_coop,
    entries,
    *,
    name: str = "Decision tools",
    lead: Person | None = None,
    worker: Person | None = None,
) -> Team:
    """A finished project: its lead (of `coop`) in a design seat, a developer of `other_coop`,
    a facilitator of a third co-op who left, and a declined invitation."""
    third = OrganisationFactory(country="ES")
    project = ProjectFactory(
        name=name,
        description="We set up Loomio and Decidim for a federation; not Quiet Draft.",
        status=Project.Status.FINISHED,
        phase=Project.Phase.MAINTENANCE,
        client_name="Federation of Care Co-ops",
        start_date=dt.date(2025, 3, 3),
        end_date=dt.date(2025, 4, 27),
    )
    lead = lead or PersonFactory(organisation=coop)
    project.leads.add(lead)
    design = TeamRoleFactory(project=project, title="Lead", phase=Project.Phase.DESIGN)
    develop = TeamRoleFactory(project=project, title="Dev", phase=Project.Phase.DEVELOPMENT)
    facilitate = TeamRoleFactory(project=project, title="Host", phase=Project.Phase.DESIGN)
    empty = TeamRoleFactory(project=project, title="Never filled", phase=Project.Phase.MARKETING)
    TeamRoleSkillFactory(role=design, skill=SkillFactory(name="Project management"))
    TeamRoleSkillFactory(role=develop, skill=SkillFactory(name="Django"))
    TeamRoleSkillFactory(role=facilitate, skill=SkillFactory(name="Facilitation"))
    TeamRoleSkillFactory(role=empty, skill=SkillFactory(name="Copywriting"))
    TeamMembershipFactory(role=design, person=lead)
    worker = worker or PersonFactory(organisation=other_coop)
    TeamMembershipFactory(role=develop, person=worker)
    left = PersonFactory(organisation=third)
    TeamMembershipFactory(role=facilitate, person=left, status=TeamMembership.Status.LEFT)
    declined = PersonFactory(organisation=OrganisationFactory(country="JP"))
    TeamMembershipFactory(role=empty, person=declined, status=TeamMembership.Status.DECLINED)
    # The software it used, as its lead listed it on the project page (a draft entry too, which
    # a case study never shows).
    for entry in ("Loomio", "Decidim", "Quiet Draft"):
        ProjectSoftware.objects.create(project=project, software=entries[entry], added_by=lead)
    return Team(project, lead, worker, left, declined, entries["Loomio"], entries["Decidim"])


@pytest.fixture
def team(coop, other_coop, entries) -> Team:
    return build_team(coop, other_coop, entries)


@pytest.fixture
def make_published():
    """`make_published(team)`: the team's case study, written, permitted and published."""

    def make(team: Team) -> CaseStudy:
        actor = team.lead.user
        case_study = services.case_study_create(actor=actor, project=team.project)
        services.case_study_update(
            actor=actor,
            case_study=case_study,
            data={
                "summary": "Decisions online.",
                "story": "We **met**.",
                "outcome": "They decide.",
            },
        )
        services.case_study_record_consent(
            actor=actor, case_study=case_study, method="email", given_by="Ana, secretary"
        )
        return services.case_study_publish(actor=actor, case_study=case_study)

    return make
