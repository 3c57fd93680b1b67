"""schema.org JSON-LD for public opportunities (`JobPosting`) and public projects (`Project`),
built from what a visitor may read (patio.linked_data)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from circles.linked_data import circle_reference
from members.linked_data import network, organisation_reference, skill_term
from members.selectors import network_countries
from patio.linked_data import Document, day, document, node, number, plain_text, rich_text, unique
from projects.models import Opportunity, Project

CENT = Decimal("0.01")


def is_public_opportunity(opportunity: Opportunity) -> bool:
    """What a visitor may open: published, and for everyone."""
    return (
        opportunity.visibility == Opportunity.Visibility.PUBLIC
        and opportunity.status != Opportunity.Status.DRAFT
    )


def base_salary(opportunity: Opportunity) -> Document | None:
    """The budget as pay: an hourly rate when the effort is estimated, else the whole amount."""
    if opportunity.budget is None:
        return None
    if opportunity.estimated_effort_hours:
        rate = (opportunity.budget / opportunity.estimated_effort_hours).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        value = node("QuantitativeValue", value=number(rate), unitText="HOUR")
    else:
        value = node("QuantitativeValue", value=number(opportunity.budget))
    return node("MonetaryAmount", currency=opportunity.currency, value=value)


def job_posting(opportunity: Opportunity) -> Document:
    """Remote work for the network's people: who posts it, what it needs and pays, until when.

    Applicants are the network's people, who live where its member co-ops are: those countries
    are the location requirement remote postings must state."""
    roles = list(opportunity.roles.all())
    skills = unique(
        skill_term(requirement.skill) for role in roles for requirement in role.skills.all()
    )
    source = opportunity.source_coop
    hiring = organisation_reference(source) if source is not None and source.is_public else None
    posted = opportunity.opened_at or opportunity.created_at
    return document(
        "JobPosting",
        opportunity.get_absolute_url(),
        title=opportunity.title,
        description=rich_text(opportunity.description),
        datePosted=day(posted.date()) if posted else None,
        validThrough=day(opportunity.deadline),
        jobStartDate=day(opportunity.start_date),
        employmentType="CONTRACTOR",
        jobLocationType="TELECOMMUTE",
        applicantLocationRequirements=[
            node("Country", name=name, identifier=code) for code, name in network_countries()
        ],
        hiringOrganization=hiring or network(),
        occupationalCategory=[role.title for role in roles],
        skills=skills,
        totalJobOpenings=sum(role.headcount for role in roles) or None,
        baseSalary=base_salary(opportunity),
    )


def project_document(project: Project) -> Document:
    """A public team at work, under the circle that coordinates it."""
    return document(
        "Project",
        project.get_absolute_url(),
        name=project.name,
        description=plain_text(project.description),
        parentOrganization=circle_reference(project.circle),
        foundingDate=day(project.start_date),
        dissolutionDate=day(project.end_date)
        if project.status == Project.Status.FINISHED
        else None,
    )
