"""schema.org JSON-LD for published case studies (patio.linked_data): an `Article` about the
project, naming the team's co-ops as contributors, the skills and software it is about, the
client as the organisation it was for, and its dates."""

from __future__ import annotations

from casestudies.models import CaseStudy
from members.linked_data import network, organisation_reference, skill_term
from members.models import Organisation
from patio.linked_data import Document, day, document, moment, node, plain_text, reference


def case_study_document(case_study: CaseStudy) -> Document:
    coops = [
        organisation_reference(coop)
        for coop in case_study.coops.all()
        if coop.status == Organisation.Status.MEMBER
    ]
    about = [
        *(skill_term(skill) for skill in case_study.skills.all()),
        *(
            reference("SoftwareApplication", entry.get_absolute_url(), entry.name)
            for entry in case_study.software.all()
        ),
    ]
    body = "\n\n".join(part for part in (case_study.story, case_study.outcome) if part)
    return document(
        "Article",
        case_study.get_absolute_url(),
        headline=case_study.title,
        name=case_study.title,
        description=case_study.summary or None,
        articleSection="Case study",
        contributor=coops or None,
        about=about or None,
        sourceOrganization=node("Organization", name=case_study.client_name)
        if case_study.client_name
        else None,
        temporalCoverage=f"{day(case_study.started_on)}/{day(case_study.finished_on)}"
        if case_study.started_on and case_study.finished_on
        else None,
        datePublished=moment(case_study.published_at),
        dateModified=moment(case_study.updated_at),
        articleBody=plain_text(body),
        publisher=network(),
    )
