"""Drafting a case study from a finished project, writing it, and the rule that nothing is
published before the client's permission is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from casestudies import services
from casestudies.models import CaseStudy
from projects.models import Project, TeamMembership
from tests.factories import OrganisationFactory, PersonFactory
from tests.projects.factories import TeamMembershipFactory, TeamRoleFactory

pytestmark = pytest.mark.django_db


def test_the_draft_is_prefilled_with_what_the_finished_project_was(team):
    case_study = services.case_study_create(actor=team.lead.user, project=team.project)

    assert case_study.status == CaseStudy.Status.DRAFT
    assert case_study.title == "Decision tools"
    assert case_study.client_name == "Federation of Care Co-ops"
    # The co-ops of the people who worked in it (the one who left too), not the one who declined.
    assert {c.pk for c in case_study.coops.all()} == {
        team.lead.organisation_id,
        team.worker.organisation_id,
        team.left.organisation_id,
    }
    assert [str(code) for code in case_study.countries] == ["AR", "BG", "ES"]
    assert sorted(s.name for s in case_study.skills.all()) == [
        "Django",
        "Facilitation",
        "Project management",
    ]
    # The seats' phases and the project's own, in the phases' order; no unfilled seat's.
    assert case_study.phases == ["design", "development", "maintenance"]
    # The published entries the project lists as used; not a draft entry.
    assert {e.name for e in case_study.software.all()} == {"Loomio", "Decidim"}
    assert (case_study.started_on, case_study.finished_on) == (
        dt.date(2025, 3, 3),
        dt.date(2025, 4, 27),
    )
    assert case_study.duration_weeks == 8
    assert case_study.created_by == team.lead
    event = AuditEvent.objects.get(action="case_study.create")
    assert event.after["software"] == ["decidim", "loomio"]


def test_without_project_dates_the_draft_takes_the_days_its_people_worked(
    coop, other_coop, entries
):
    from tests.casestudies.conftest import build_team

    team = build_team(coop, other_coop, entries, name="Undated")
    Project.objects.filter(pk=team.project.pk).update(start_date=None, end_date=None)
    TeamMembership.objects.filter(project=team.project, person=team.lead).update(
        start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 2, 2)
    )
    TeamMembership.objects.filter(project=team.project, person=team.worker).update(
        start_date=dt.date(2025, 1, 13), end_date=dt.date(2025, 3, 2)
    )
    team.project.refresh_from_db()

    case_study = services.case_study_create(actor=team.lead.user, project=team.project)

    assert (case_study.started_on, case_study.finished_on) == (
        dt.date(2025, 1, 6),
        dt.date(2025, 3, 2),
    )


def test_the_lead_may_choose_the_software_instead(team):
    case_study = services.case_study_create(
        actor=team.lead.user, project=team.project, software=[team.loomio]
    )
    assert [e.name for e in case_study.software.all()] == ["Loomio"]


def test_the_snapshot_stays_when_the_team_changes_later(team):
    case_study = services.case_study_create(actor=team.lead.user, project=team.project)
    newcomer = PersonFactory(organisation=OrganisationFactory(country="KE"))
    TeamMembershipFactory(role=TeamRoleFactory(project=team.project), person=newcomer)

    case_study = CaseStudy.objects.get(pk=case_study.pk)
    assert "KE" not in [str(code) for code in case_study.countries]
    assert newcomer.organisation not in case_study.coops.all()


def test_a_project_not_finished_has_no_case_study_yet(team):
    Project.objects.filter(pk=team.project.pk).update(status=Project.Status.ACTIVE)
    with pytest.raises(ValidationError, match="once the project is finished"):
        services.case_study_create(actor=team.lead.user, project=team.project)
    assert not CaseStudy.objects.exists()


def test_a_project_has_one_case_study(team):
    services.case_study_create(actor=team.lead.user, project=team.project)
    with pytest.raises(ValidationError, match="has a case study already"):
        services.case_study_create(actor=team.lead.user, project=team.project)
    assert CaseStudy.objects.count() == 1


def test_a_team_member_who_is_not_a_lead_cannot_draft_it(team):
    with pytest.raises(PermissionDenied):
        services.case_study_create(actor=team.worker.user, project=team.project)
    assert not CaseStudy.objects.exists()


def test_a_draft_catalogue_entry_cannot_be_named_as_used(team, entries):
    with pytest.raises(ValidationError) as error:
        services.case_study_create(
            actor=team.lead.user, project=team.project, software=[entries["Quiet Draft"]]
        )
    assert "software" in error.value.error_dict


def _written(team) -> CaseStudy:
    case_study = services.case_study_create(actor=team.lead.user, project=team.project)
    return services.case_study_update(
        actor=team.lead.user,
        case_study=case_study,
        data={"story": "What happened.", "outcome": "What came of it."},
    )


def test_publishing_before_the_clients_permission_is_refused(team):
    case_study = _written(team)
    with pytest.raises(ValidationError) as error:
        services.case_study_publish(actor=team.lead.user, case_study=case_study)
    assert "consent" in error.value.error_dict
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.DRAFT
    assert not AuditEvent.objects.filter(action="case_study.publish").exists()


def test_the_database_refuses_a_published_row_without_permission(team):
    case_study = _written(team)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudy.objects.filter(pk=case_study.pk).update(status=CaseStudy.Status.PUBLISHED)


def test_once_the_permission_is_recorded_it_publishes_and_says_who_recorded_it(team):
    case_study = _written(team)
    services.case_study_record_consent(
        actor=team.lead.user,
        case_study=case_study,
        method="written",
        given_by="Marta Gómez, secretary",
        note="Signed letter in the project folder.",
    )
    published = services.case_study_publish(actor=team.lead.user, case_study=case_study)

    published.refresh_from_db()
    assert published.status == CaseStudy.Status.PUBLISHED
    assert published.published_at is not None
    assert published.consent_recorded_by == team.lead
    assert published.consent_recorded_at is not None
    assert published.consent_method == "written"
    actions = list(
        AuditEvent.objects.filter(object_id=str(published.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "case_study.create",
        "case_study.update",
        "case_study.consent",
        "case_study.publish",
    ]


def test_a_story_and_an_outcome_are_written_before_publishing(team):
    case_study = services.case_study_create(actor=team.lead.user, project=team.project)
    services.case_study_record_consent(
        actor=team.lead.user, case_study=case_study, method="email", given_by="Ana"
    )
    with pytest.raises(ValidationError) as error:
        services.case_study_publish(actor=team.lead.user, case_study=case_study)
    assert set(error.value.error_dict) == {"story", "outcome"}


def test_a_permission_says_how_and_who(team):
    case_study = _written(team)
    with pytest.raises(ValidationError) as error:
        services.case_study_record_consent(
            actor=team.lead.user, case_study=case_study, method="rumour", given_by=" "
        )
    assert set(error.value.error_dict) == {"method", "given_by"}
    case_study.refresh_from_db()
    assert not case_study.has_consent


def test_withdrawn_it_leaves_the_public_pages_and_can_come_back(team, make_published):
    case_study = make_published(team)
    first_published = case_study.published_at
    services.case_study_withdraw(actor=team.lead.user, case_study=case_study)
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.case_study_withdraw(actor=team.lead.user, case_study=case_study)
    services.case_study_publish(actor=team.lead.user, case_study=case_study)
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.PUBLISHED
    assert case_study.published_at == first_published


def test_an_edit_that_changes_nothing_is_not_audited(team):
    case_study = _written(team)
    before = AuditEvent.objects.count()
    services.case_study_update(
        actor=team.lead.user, case_study=case_study, data={"story": "What happened."}
    )
    assert AuditEvent.objects.count() == before


def test_a_title_cannot_be_emptied(team):
    case_study = _written(team)
    with pytest.raises(ValidationError) as error:
        services.case_study_update(actor=team.lead.user, case_study=case_study, data={"title": ""})
    assert "title" in error.value.error_dict
