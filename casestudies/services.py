"""Every write to case studies: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from casestudies import permissions, selectors
from casestudies.models import CONSENT_NOTE_MAX, CaseStudy, ProjectSoftware
from casestudies.search import refresh_case_study_vectors
from catalogue.models import Software
from members.permissions import person_of
from projects.models import Project

if TYPE_CHECKING:
    from accounts.models import AnyUser

# What the lead writes; the pages' form and the API's serializer use this list.
TEXT_FIELDS = ("title", "summary", "story", "outcome")
MAX_SOFTWARE = 30


def unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "case-study"
    slug, n = base, 2
    while CaseStudy.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_software(software: Iterable[Software]) -> list[Software]:
    chosen = list({entry.pk: entry for entry in software}.values())
    if len(chosen) > MAX_SOFTWARE:
        raise ValidationError({"software": _("Choose at most %(n)d.") % {"n": MAX_SOFTWARE}})
    drafts = [entry.name for entry in chosen if entry.status != Software.Status.PUBLISHED]
    if drafts:
        raise ValidationError(
            {
                "software": _("Only published catalogue entries: %(names)s")
                % {"names": ", ".join(drafts)}
            }
        )
    return chosen


@transaction.atomic
def case_study_create(
    *,
    actor: AnyUser,
    project: Project,
    title: str = "",
    software: Iterable[Software] | None = None,
) -> CaseStudy:
    """Draft the case study of a finished project, pre-filled from it: the team's co-ops and
    their countries, the skills and phases of the seats people worked in, the software used
    (`software`, else the catalogue entries the project names) and its dates. What is copied
    stays as it was copied: a later change to the team does not rewrite the story."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_draft_from(actor, project):
        raise PermissionDenied(_("Only the project's leads write its case study."))
    if project.status != Project.Status.FINISHED:
        raise ValidationError(_("A case study is written once the project is finished."))
    if CaseStudy.objects.filter(project=project).exists():
        raise ValidationError(_("This project has a case study already."))
    chosen = (
        _check_software(software)
        if software is not None
        else list(selectors.software_used(project))
    )
    title = (title or "").strip() or project.name
    people = selectors.team_people(project)
    coops = list({p.organisation_id: p.organisation for p in people if p.organisation}.values())
    countries = sorted({str(coop.country) for coop in coops if coop.country})
    started, finished = selectors.team_dates(project)
    client = project.client_name or (
        project.client_organisation.name if project.client_organisation else ""
    )
    case_study = CaseStudy(
        project=project,
        title=title[:200],
        slug=unique_slug(title),
        client_name=client,
        countries=countries,  # type: ignore[misc]  # CountryField(multiple=True) takes codes
        phases=selectors.team_phases(project),
        started_on=started,
        finished_on=finished,
        created_by=person_of(actor),
    )
    case_study.full_clean()
    case_study.save()
    case_study.coops.set(coops)
    case_study.skills.set(selectors.team_skills(project))
    case_study.software.set(chosen)
    refresh_case_study_vectors([case_study.pk])
    audit_record(
        actor=actor,
        action="case_study.create",
        target=case_study,
        after={
            "project": project.pk,
            "coops": [coop.slug for coop in coops],
            "countries": countries,
            "software": [entry.slug for entry in chosen],
        },
    )
    return case_study


@transaction.atomic
def case_study_update(
    *,
    actor: AnyUser,
    case_study: CaseStudy,
    data: dict[str, Any],
    software: Iterable[Software] | None = None,
) -> CaseStudy:
    """The lead writes the title, summary, story and outcome (Markdown), and says which
    catalogue entries the project used."""
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if not permissions.can_edit_case_study(actor, case_study):
        raise PermissionDenied(_("Only the project's leads edit its case study."))
    unknown = sorted(set(data) - set(TEXT_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    cleaned = {name: (value or "").strip() for name, value in data.items()}
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationError({"title": _("Give the case study a title.")})
    changes = {
        name: (getattr(case_study, name), value)
        for name, value in cleaned.items()
        if getattr(case_study, name) != value
    }
    for name, (_before, after) in changes.items():
        setattr(case_study, name, after)
    if changes:
        case_study.full_clean()
        case_study.save(update_fields=[*changes, "updated_at"])
    software_changed = False
    if software is not None:
        chosen = _check_software(software)
        if {e.pk for e in case_study.software.all()} != {e.pk for e in chosen}:
            case_study.software.set(chosen)
            software_changed = True
            if not changes:
                case_study.updated_at = timezone.now()
                CaseStudy.objects.filter(pk=case_study.pk).update(updated_at=case_study.updated_at)
    if changes or software_changed:
        refresh_case_study_vectors([case_study.pk])
        audit_record(
            actor=actor,
            action="case_study.update",
            target=case_study,
            before={name: before for name, (before, _after) in changes.items()},
            after={
                **{name: after for name, (_before, after) in changes.items()},
                **(
                    {"software": sorted(e.slug for e in case_study.software.all())}
                    if software_changed
                    else {}
                ),
            },
        )
    return case_study


@transaction.atomic
def case_study_record_consent(
    *,
    actor: AnyUser,
    case_study: CaseStudy,
    method: str,
    given_by: str,
    note: str = "",
) -> CaseStudy:
    """Record the client's permission to publish: how it was given, by whom for the client,
    and a note (what they agreed to). Recorded by the reader, now; recording it again replaces
    it, and the audit log keeps the earlier one."""
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if not permissions.can_edit_case_study(actor, case_study):
        raise PermissionDenied(_("Only the project's leads record the client's permission."))
    errors = {}
    if method not in CaseStudy.ConsentMethod.values:
        errors["method"] = _("Say how the client gave their permission.")
    given_by = (given_by or "").strip()
    if not given_by:
        errors["given_by"] = _("Name who gave the permission for the client.")
    note = (note or "").strip()
    if len(note) > CONSENT_NOTE_MAX:
        errors["note"] = _("At most %(n)d characters.") % {"n": CONSENT_NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    before = {
        "method": case_study.consent_method,
        "given_by": case_study.consent_given_by,
        "recorded_at": case_study.consent_recorded_at.isoformat()
        if case_study.consent_recorded_at
        else None,
    }
    case_study.consent_method = method
    case_study.consent_given_by = given_by[:200]
    case_study.consent_note = note
    case_study.consent_recorded_by = person_of(actor)
    case_study.consent_recorded_at = timezone.now()
    case_study.save(
        update_fields=[
            "consent_method",
            "consent_given_by",
            "consent_note",
            "consent_recorded_by",
            "consent_recorded_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="case_study.consent",
        target=case_study,
        before=before,
        after={"method": method, "given_by": case_study.consent_given_by, "note": note},
    )
    return case_study


def _move(actor: AnyUser, case_study: CaseStudy, to: str) -> CaseStudy:
    if not permissions.can_edit_case_study(actor, case_study):
        raise PermissionDenied(_("Only the project's leads publish or withdraw its case study."))
    if to not in CaseStudy.TRANSITIONS[CaseStudy.Status(case_study.status)]:
        raise ValidationError(
            _("A case study that is %(status)s cannot be %(action)s.")
            % {
                "status": case_study.get_status_display().lower(),
                "action": CaseStudy.Status(to).label.lower(),
            }
        )
    before = case_study.status
    fields = ["status", "updated_at"]
    case_study.status = to
    if to == CaseStudy.Status.PUBLISHED and case_study.published_at is None:
        case_study.published_at = timezone.now()
        fields.append("published_at")
    case_study.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"case_study.{'publish' if to == CaseStudy.Status.PUBLISHED else 'withdraw'}",
        target=case_study,
        before={"status": before},
        after={"status": to},
    )
    return case_study


@transaction.atomic
def case_study_publish(*, actor: AnyUser, case_study: CaseStudy) -> CaseStudy:
    """Make it public. Refused until the client's permission is recorded, and until the
    story and the outcome are written."""
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if not permissions.can_edit_case_study(actor, case_study):
        raise PermissionDenied(_("Only the project's leads publish its case study."))
    errors = {}
    if not case_study.has_consent:
        errors["consent"] = _(
            "Record the client's permission before publishing: how they agreed, and who agreed."
        )
    if not case_study.story.strip():
        errors["story"] = _("Write the story before publishing.")
    if not case_study.outcome.strip():
        errors["outcome"] = _("Write the outcome before publishing.")
    if errors:
        raise ValidationError(errors)
    return _move(actor, case_study, CaseStudy.Status.PUBLISHED)


@transaction.atomic
def case_study_withdraw(*, actor: AnyUser, case_study: CaseStudy) -> CaseStudy:
    """Take it off the public pages (the client asked, or the story is out of date); it can be
    published again."""
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    return _move(actor, case_study, CaseStudy.Status.WITHDRAWN)


# The software a project uses -----------------------------------------------------------------
@transaction.atomic
def project_software_add(
    *, actor: AnyUser, project: Project, software: Software
) -> ProjectSoftware:
    """List a published catalogue entry as used by the project. Adding it again changes
    nothing (and records nothing)."""
    if not permissions.can_change_software_used(actor, project):
        raise PermissionDenied(_("Only the project's leads and coordinators can change this."))
    if software.status != Software.Status.PUBLISHED:
        raise ValidationError({"software": _("Only published catalogue entries can be added.")})
    link, created = ProjectSoftware.objects.get_or_create(
        project=project, software=software, defaults={"added_by": person_of(actor)}
    )
    if created:
        audit_record(
            actor=actor,
            action="project.software_add",
            target=project,
            after={"software": software.slug},
        )
    return link


@transaction.atomic
def project_software_remove(*, actor: AnyUser, project: Project, software: Software) -> bool:
    """Stop listing an entry as used by the project; returns whether it was listed. Case
    studies already written keep their own list."""
    if not permissions.can_change_software_used(actor, project):
        raise PermissionDenied(_("Only the project's leads and coordinators can change this."))
    removed, _rows = ProjectSoftware.objects.filter(project=project, software=software).delete()
    if removed:
        audit_record(
            actor=actor,
            action="project.software_remove",
            target=project,
            before={"software": software.slug},
        )
    return bool(removed)
