"""Every write to projects and their team roles: named verbs, keyword-only, atomic, audited.

While its opportunity is being staffed, a project's roles lead and the opportunity's follow."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from circles.models import Circle
from members.models import Language, Organisation, PersonSkill
from members.permissions import person_of
from projects import permissions
from projects.models import (
    Opportunity,
    OpportunityRole,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)
from projects.services.opportunities import MAX_ROLES, _clean_roles, _opportunity_move

if TYPE_CHECKING:
    from accounts.models import AnyUser

# What a caller may set about a project, in the order its page's form shows them.
PROJECT_FIELDS = (
    "name",
    "description",
    "phase",
    "status",
    "visibility",
    "lead_coop",
    "source_coop",
    "client_organisation",
    "client_name",
    "start_date",
    "end_date",
    "core_hours_start_utc",
    "core_hours_end_utc",
    "min_overlap_hours",
    "min_coops",
    "max_per_coop",
)


def _check_project(project: Project) -> None:
    errors = {}
    if project.start_date and project.end_date and project.end_date < project.start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    if project.client_organisation_id and project.client_name:
        errors["client_name"] = _(
            "Name either a member co-op or an outside organisation as the client, not both."
        )
    for name in ("lead_coop", "source_coop", "client_organisation"):
        organisation = getattr(project, name)
        if organisation is not None and organisation.status != Organisation.Status.MEMBER:
            errors[name] = _("Choose a member co-op of the network.")
    if (project.core_hours_start_utc is None) != (project.core_hours_end_utc is None):
        errors["core_hours_end_utc"] = _("Give both ends of the core hours, or neither.")
    if errors:
        raise ValidationError(errors)


def _clean_team_roles(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Team roles are opportunity roles with a phase and languages, and one person each."""
    plain = _clean_roles(
        [{**role, "headcount": 1} for role in roles]
    )  # the same checks, the same messages
    phases = set(Project.Phase.values)
    for role, cleaned in zip(roles, plain, strict=True):
        phase = role.get("phase") or Project.Phase.DEVELOPMENT
        if phase not in phases:
            raise ValidationError({"roles": _("Choose a phase from the list.")})
        languages = list(role.get("languages") or [])
        if not all(isinstance(lang, Language) and lang.pk for lang in languages):
            raise ValidationError({"roles": _("Unknown language.")})
        cleaned.update(phase=phase, languages=languages, source_role=role.get("source_role"))
    return plain


def _write_team_roles(project: Project, roles: list[dict[str, Any]], start: int = 0) -> None:
    for position, role in enumerate(roles, start):
        saved = TeamRole.objects.create(
            project=project,
            title=role["title"],
            phase=role["phase"],
            hours_per_week=role["hours_per_week"],
            position=position,
            source_role=role.get("source_role"),
        )
        saved.languages.set(role["languages"])
        TeamRoleSkill.objects.bulk_create(
            TeamRoleSkill(
                role=saved,
                skill=item["skill"],
                min_level=item.get("min_level", PersonSkill.Level.PRACTITIONER),
                weight=item.get("weight", 3),
            )
            for item in role["skills"]
        )


def _project_save(project: Project, data: dict[str, Any]) -> Project:
    unknown = sorted(set(data) - set(PROJECT_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    for name, value in data.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    _check_project(project)
    project.full_clean(exclude=["circle"])
    project.save()
    return project


@transaction.atomic
def project_create(
    *, actor: AnyUser, circle: Circle, data: dict[str, Any], roles: list[dict[str, Any]]
) -> Project:
    """A project on its own (internal network work), coordinated by `circle`.

    `roles`: [{"title", "phase", "hours_per_week", "languages": [Language],
    "skills": [{"skill": Skill, "min_level", "weight"}]}]."""
    if not permissions.can_post_in(actor, circle):
        raise PermissionDenied(_("Only the circle's coordinators start its projects."))
    roles = _clean_team_roles(list(roles))
    project = _project_save(Project(circle=circle), dict(data))
    _write_team_roles(project, roles)
    person = person_of(actor)
    if person is not None:
        project.leads.add(person)
    audit_record(
        actor=actor,
        action="project.create",
        target=project,
        after={"circle": circle.slug, "roles": len(roles)},
    )
    return project


@transaction.atomic
def project_from_opportunity(*, actor: AnyUser, opportunity: Opportunity) -> Project:
    """Form the opportunity's team: a project carrying its roles over (a role for N people
    becomes N seats). Once per opportunity: asking again returns the same project."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    existing = Project.objects.filter(opportunity=opportunity).first()
    if existing is not None:
        return existing
    if not permissions.can_form_team(actor, opportunity):
        raise PermissionDenied(_("Only the circle's coordinators form a team for it."))
    languages = list(opportunity.working_languages.all())
    roles = []
    for role in opportunity.roles.prefetch_related("skills__skill"):
        for seat in range(role.headcount):
            title = role.title if role.headcount == 1 else f"{role.title} ({seat + 1})"
            roles.append(
                {
                    "title": title[:120],
                    "hours_per_week": role.hours_per_week,
                    "phase": Project.Phase.DEVELOPMENT,
                    "languages": languages,
                    "source_role": role,
                    "skills": [
                        {"skill": s.skill, "min_level": s.min_level, "weight": s.weight}
                        for s in role.skills.all()
                    ],
                }
            )
    project = Project(circle=opportunity.circle, opportunity=opportunity)
    data = {
        "name": opportunity.title,
        "description": opportunity.description,
        "source_coop": opportunity.source_coop,
        "lead_coop": opportunity.source_coop,
        "client_organisation": opportunity.client_organisation,
        "client_name": opportunity.client_name,
        "visibility": opportunity.visibility,
        "start_date": opportunity.start_date,
        "end_date": opportunity.deadline,
        "core_hours_start_utc": opportunity.core_hours_start_utc,
        "core_hours_end_utc": opportunity.core_hours_end_utc,
    }
    project = _project_save(project, data)
    _write_team_roles(project, roles)
    if opportunity.posted_by_id:
        project.leads.add(opportunity.posted_by_id)
    audit_record(
        actor=actor,
        action="project.from_opportunity",
        target=project,
        after={"opportunity": opportunity.pk, "roles": len(roles)},
    )
    return project


# editing a project and its team roles --------------------------------------------------------
# While its opportunity is being staffed, the opportunity's roles follow the team's: a seat
# added, changed or removed on the project is added, changed or removed on the opportunity.
MIRRORED = frozenset(
    {Opportunity.Status.OPEN, Opportunity.Status.MATCHING, Opportunity.Status.TEAM_PROPOSED}
)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


@transaction.atomic
def project_update(*, actor: AnyUser, project: Project, data: dict[str, Any]) -> Project:
    """Change a project's fields (its phase, its status, its dates…); only what changed is saved."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied(_("Only the project's leads and circle coordinators edit it."))
    unknown = sorted(set(data) - set(PROJECT_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    before = {name: getattr(project, name) for name in data}
    for name, value in data.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    _check_project(project)
    project.full_clean(exclude=["circle", "opportunity"])
    changed = [name for name in data if getattr(project, name) != before[name]]
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="project.update",
            target=project,
            before={name: _plain(before[name]) for name in changed},
            after={name: _plain(getattr(project, name)) for name in changed},
        )
    return project


def _staffing_opportunity(project: Project) -> Opportunity | None:
    """The opportunity that follows this team's roles, or None. A staffed opportunity stands
    for a complete team: its roles change only after it is closed."""
    if project.opportunity_id is None:
        return None
    opportunity = Opportunity.objects.select_for_update().get(pk=project.opportunity_id)
    if opportunity.status == Opportunity.Status.STAFFED:
        raise ValidationError(
            _("The opportunity of this team is staffed: close it before changing the team's roles.")
        )
    return opportunity if opportunity.status in MIRRORED else None


def _opportunity_seat(opportunity: Opportunity, role: dict[str, Any]) -> OpportunityRole:
    last = opportunity.roles.order_by("-position").values_list("position", flat=True).first()
    seat = OpportunityRole.objects.create(
        opportunity=opportunity,
        title=role["title"],
        headcount=1,
        hours_per_week=role["hours_per_week"],
        position=(last or 0) + 1,
    )
    RoleSkill.objects.bulk_create(
        RoleSkill(
            role=seat,
            skill=item["skill"],
            min_level=item.get("min_level", PersonSkill.Level.PRACTITIONER),
            weight=item.get("weight", 3),
        )
        for item in role["skills"]
    )
    return seat


def _release_seat(source_id: int | None, opportunity: Opportunity) -> None:
    """One seat fewer on the opportunity role a team role came from."""
    if source_id is None:
        return
    source = OpportunityRole.objects.filter(pk=source_id, opportunity=opportunity).first()
    if source is None:
        return
    if source.headcount > 1:
        OpportunityRole.objects.filter(pk=source.pk).update(headcount=F("headcount") - 1)
    else:
        source.delete()


def _role_input(role: dict[str, Any]) -> dict[str, Any]:
    cleaned = _clean_team_roles([{**role, "source_role": None}])[0]
    return cleaned


def _skills_of(role: TeamRole) -> list[tuple[int, int, int]]:
    return sorted(role.skills.values_list("skill_id", "min_level", "weight"))


@transaction.atomic
def team_role_add(*, actor: AnyUser, project: Project, role: dict[str, Any]) -> TeamRole:
    """One more seat in the team: {"title", "phase", "hours_per_week", "languages", "skills"}."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied(_("Only the project's leads and circle coordinators edit it."))
    if project.roles.count() >= MAX_ROLES:
        raise ValidationError({"roles": _("List at most %(n)d roles.") % {"n": MAX_ROLES}})
    cleaned = _role_input(role)
    opportunity = _staffing_opportunity(project)
    last = project.roles.order_by("-position").values_list("position", flat=True).first()
    _write_team_roles(project, [cleaned], start=(last or 0) + 1)
    saved = project.roles.order_by("-position", "-id").first()
    assert saved is not None  # written just above
    if opportunity is not None:
        seat = _opportunity_seat(opportunity, cleaned)
        TeamRole.objects.filter(pk=saved.pk).update(source_role=seat, updated_at=timezone.now())
    _seats_changed(project, opportunity)
    audit_record(
        actor=actor,
        action="team_role.add",
        target=saved,
        after={
            "project": project.pk,
            "title": saved.title,
            "phase": saved.phase,
            "hours_per_week": saved.hours_per_week,
            "opportunity": opportunity.pk if opportunity else None,
        },
    )
    return saved


@transaction.atomic
def team_role_update(*, actor: AnyUser, role: TeamRole, data: dict[str, Any]) -> TeamRole:
    """Change one seat: its title, phase, hours, languages and skills (all given)."""
    role = TeamRole.objects.select_for_update().get(pk=role.pk)
    project = Project.objects.select_for_update().get(pk=role.project_id)
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied(_("Only the project's leads and circle coordinators edit it."))
    cleaned = _role_input(data)
    opportunity = _staffing_opportunity(project)
    before = {
        "title": role.title,
        "phase": role.phase,
        "hours_per_week": role.hours_per_week,
        "skills": _skills_of(role),
    }
    role.title, role.phase = cleaned["title"], cleaned["phase"]
    role.hours_per_week = cleaned["hours_per_week"]
    role.save(update_fields=["title", "phase", "hours_per_week", "updated_at"])
    role.languages.set(cleaned["languages"])
    role.skills.all().delete()
    TeamRoleSkill.objects.bulk_create(
        TeamRoleSkill(
            role=role,
            skill=item["skill"],
            min_level=item.get("min_level", PersonSkill.Level.PRACTITIONER),
            weight=item.get("weight", 3),
        )
        for item in cleaned["skills"]
    )
    after: dict[str, Any] = {
        "title": role.title,
        "phase": role.phase,
        "hours_per_week": role.hours_per_week,
        "skills": _skills_of(role),
    }
    asked = {k: v for k, v in after.items() if k != "phase"}
    if opportunity is not None and asked != {k: v for k, v in before.items() if k != "phase"}:
        # The opportunity asks for what the seat now needs: its own role if it was the only
        # seat of it, else a seat split off into a role of its own.
        source = (
            OpportunityRole.objects.filter(pk=role.source_role_id, opportunity=opportunity).first()
            if role.source_role_id is not None
            else None
        )
        if source is not None and source.headcount == 1:
            source.title, source.hours_per_week = role.title, role.hours_per_week
            source.save(update_fields=["title", "hours_per_week"])
            source.skills.all().delete()
            RoleSkill.objects.bulk_create(
                RoleSkill(role=source, skill_id=skill, min_level=level, weight=weight)
                for skill, level, weight in after["skills"]
            )
        else:
            _release_seat(role.source_role_id, opportunity)
            seat = _opportunity_seat(opportunity, cleaned)
            role.source_role = seat
            role.save(update_fields=["source_role", "updated_at"])
    _seats_changed(project, opportunity)
    audit_record(actor=actor, action="team_role.update", target=role, before=before, after=after)
    return role


def _seats_changed(project: Project, opportunity: Opportunity | None) -> None:
    """A project's roles are part of the project the API serves, and its opportunity's roles
    follow the seats: a partner syncing with `updated_since` must see both as changed."""
    now = timezone.now()
    Project.objects.filter(pk=project.pk).update(updated_at=now)
    if opportunity is not None:
        Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=now)


@transaction.atomic
def team_role_remove(*, actor: AnyUser, role: TeamRole) -> None:
    """Take a seat out of the team. Someone invited or accepted keeps it: they leave first.
    When every remaining seat is accepted, the team is complete and its opportunity staffed."""
    role = TeamRole.objects.select_for_update().get(pk=role.pk)
    project = Project.objects.select_for_update().get(pk=role.project_id)
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied(_("Only the project's leads and circle coordinators edit it."))
    if role.memberships.filter(status__in=TeamMembership.COMMITTED).exists():
        raise ValidationError(
            _("Someone is invited to or has accepted this role: it cannot be removed.")
        )
    opportunity = _staffing_opportunity(project)
    audit_record(
        actor=actor,
        action="team_role.remove",
        target=role,
        before={
            "project": project.pk,
            "title": role.title,
            "phase": role.phase,
            "hours_per_week": role.hours_per_week,
        },
    )
    source_id = role.source_role_id
    role.delete()
    _seats_changed(project, opportunity)
    if opportunity is None:
        return
    _release_seat(source_id, opportunity)
    accepted = TeamMembership.objects.filter(
        role=OuterRef("pk"), status=TeamMembership.Status.ACCEPTED
    )
    roles = project.roles.all()
    complete = roles.exists() and not roles.exclude(Exists(accepted)).exists()
    if complete and opportunity.status == Opportunity.Status.TEAM_PROPOSED:
        _opportunity_move(
            actor=actor,
            opportunity=opportunity,
            to_status=Opportunity.Status.STAFFED,
            note=_("Every role of the team is filled."),
        )
