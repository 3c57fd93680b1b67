"""Every write to job opportunities: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from circles.models import Circle
from members import services as members_services
from members.models import Language, Organisation, Person, PersonSkill, Skill
from members.permissions import person_of
from projects import matching, permissions
from projects.models import (
    CURRENCIES,
    MAX_BUDGET,
    Interest,
    MatchRun,
    Opportunity,
    OpportunityNotification,
    OpportunityRole,
    OpportunityTransition,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)

# What a caller may set through `data`; anything else is refused rather than ignored.
FIELDS = (
    "title",
    "description",
    "source_coop",
    "client_organisation",
    "client_name",
    "working_languages",
    "core_hours_start_utc",
    "core_hours_end_utc",
    "estimated_effort_hours",
    "budget",
    "currency",
    "start_date",
    "deadline",
    "visibility",
)
MAX_ROLES = 20
MAX_SKILLS_PER_ROLE = 15
MAX_LANGUAGES = 20
DESCRIPTION_MAX = 20_000


# Moves that end staffing: short of a full team they record the roles left unfilled.
ENDS_STAFFING = frozenset({Opportunity.Status.STAFFED, Opportunity.Status.CLOSED})


class StaleStatus(ValidationError):
    """The opportunity's status changed since the caller read it (two clicks raced)."""


# validation -------------------------------------------------------------------------------------
def _clean_budget(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise ValidationError({"budget": _("Give the budget as a decimal number, not a float.")})
    try:
        budget = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"budget": _("The budget must be a number.")}) from None
    if not budget.is_finite():
        raise ValidationError({"budget": _("The budget must be a number.")})
    if budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    if budget > MAX_BUDGET:
        raise ValidationError(
            {"budget": _("The budget cannot be more than %(max)s.") % {"max": f"{MAX_BUDGET:,}"}}
        )
    if budget.as_tuple().exponent < -2:
        raise ValidationError({"budget": _("The budget has at most two decimal places.")})
    return budget


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    data = dict(data)
    if "budget" in data:
        data["budget"] = _clean_budget(data["budget"])
    if "currency" in data and data["currency"] not in dict(CURRENCIES):
        raise ValidationError({"currency": _("Choose a currency from the list.")})
    for name in ("title", "client_name"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    if len(data.get("description") or "") > DESCRIPTION_MAX:
        raise ValidationError({"description": _("Keep the description under 20,000 characters.")})
    languages = data.get("working_languages")
    if languages is not None:
        languages = list(languages)
        if len(languages) > MAX_LANGUAGES:
            raise ValidationError({"working_languages": _("List at most 20 languages.")})
        if not all(isinstance(language, Language) and language.pk for language in languages):
            raise ValidationError({"working_languages": _("Unknown language.")})
        data["working_languages"] = languages
    return data


def _check_parties(opportunity: Opportunity) -> None:
    errors = {}
    if opportunity.client_organisation_id and opportunity.client_name:
        errors["client_name"] = _(
            "Name either a member co-op or an outside organisation as the client, not both."
        )
    for field in ("client_organisation", "source_coop"):
        organisation = getattr(opportunity, field)
        if organisation is not None and organisation.status != Organisation.Status.MEMBER:
            errors[field] = _("Choose a member co-op of the network.")
    if errors:
        raise ValidationError(errors)


def _check_dates(opportunity: Opportunity) -> None:
    if (
        opportunity.start_date
        and opportunity.deadline
        and opportunity.deadline < opportunity.start_date
    ):
        raise ValidationError({"deadline": _("The deadline cannot be before the start date.")})


def _clean_roles(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check every role and its skills before anything is written."""
    if len(roles) > MAX_ROLES:
        raise ValidationError({"roles": _("List at most %(n)d roles.") % {"n": MAX_ROLES}})
    skill_ids = set()
    for role in roles:
        for item in role.get("skills") or []:
            skill = item.get("skill")
            if not isinstance(skill, Skill) or skill.pk is None:
                raise ValidationError({"roles": _("Unknown skill: %(s)s.") % {"s": skill}})
            skill_ids.add(skill.pk)
    known = set(Skill.objects.filter(pk__in=skill_ids).values_list("pk", flat=True))
    levels = {level for level, _label in PersonSkill.Level.choices}
    cleaned, errors = [], []
    for number, role in enumerate(roles, 1):
        prefix = _("Role %(n)d") % {"n": number}
        title = str(role.get("title") or "").strip()
        headcount = role.get("headcount", 1)
        hours = role.get("hours_per_week")
        skills = list(role.get("skills") or [])
        if not title:
            errors.append(_("%(role)s needs a title.") % {"role": prefix})
        elif len(title) > 120:
            errors.append(
                _("%(role)s: the title is longer than 120 characters.") % {"role": prefix}
            )
        if not isinstance(headcount, int) or not 1 <= headcount <= 50:
            errors.append(_("%(role)s: people needed must be 1 to 50.") % {"role": prefix})
        if not isinstance(hours, int) or not 1 <= hours <= 80:
            errors.append(_("%(role)s: hours per week must be 1 to 80.") % {"role": prefix})
        if len(skills) > MAX_SKILLS_PER_ROLE:
            errors.append(_("%(role)s: list at most 15 skills.") % {"role": prefix})
        seen = set()
        for item in skills:
            skill = item["skill"]
            if skill.pk not in known:
                errors.append(_("%(role)s: unknown skill %(s)s.") % {"role": prefix, "s": skill})
            if skill.pk in seen:
                errors.append(
                    _("%(role)s: %(s)s is listed twice.") % {"role": prefix, "s": skill.name}
                )
            seen.add(skill.pk)
            if item.get("min_level", PersonSkill.Level.PRACTITIONER) not in levels:
                errors.append(_("%(role)s: the minimum level must be 1 to 4.") % {"role": prefix})
            weight = item.get("weight", 3)
            if not isinstance(weight, int) or not 1 <= weight <= 5:
                errors.append(_("%(role)s: the weight must be 1 to 5.") % {"role": prefix})
        cleaned.append(
            {"title": title, "headcount": headcount, "hours_per_week": hours, "skills": skills}
        )
    if errors:
        raise ValidationError({"roles": errors})
    return cleaned


def _write_roles(opportunity: Opportunity, roles: list[dict[str, Any]]) -> None:
    opportunity.roles.all().delete()
    for position, role in enumerate(roles):
        saved = OpportunityRole.objects.create(
            opportunity=opportunity,
            title=role["title"],
            headcount=role["headcount"],
            hours_per_week=role["hours_per_week"],
            position=position,
        )
        RoleSkill.objects.bulk_create(
            RoleSkill(
                role=saved,
                skill=item["skill"],
                min_level=item.get("min_level", PersonSkill.Level.PRACTITIONER),
                weight=item.get("weight", 3),
            )
            for item in role["skills"]
        )


def _save(opportunity: Opportunity, data: dict[str, Any], roles) -> Opportunity:
    languages = data.pop("working_languages", None)
    for name, value in data.items():
        setattr(opportunity, name, value)
    _check_dates(opportunity)
    _check_parties(opportunity)
    opportunity.full_clean(exclude=["posted_by", "circle"])
    opportunity.save()
    if languages is not None:
        opportunity.working_languages.set(languages)
    if roles is not None:
        _write_roles(opportunity, roles)
    return opportunity


# opportunities ----------------------------------------------------------------------------------
@transaction.atomic
def opportunity_create(
    *, actor, circle: Circle, data: dict[str, Any], roles: list[dict[str, Any]]
) -> Opportunity:
    """A coordinator of `circle` (or a network admin) writes a DRAFT opportunity.

    `roles`: [{"title", "headcount", "hours_per_week", "skills": [{"skill": Skill,
    "min_level", "weight"}]}]."""
    if not permissions.can_post_in(actor, circle):
        raise PermissionDenied(_("Only the circle's coordinators post its opportunities."))
    data = _clean_data(data)
    roles = _clean_roles(list(roles))
    opportunity = Opportunity(circle=circle, posted_by=person_of(actor))
    opportunity = _save(opportunity, data, roles)
    audit_record(
        actor=actor,
        action="opportunity.create",
        target=opportunity,
        after={"circle": circle.slug, "status": opportunity.status, "roles": len(roles)},
    )
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    actor,
    opportunity: Opportunity,
    data: dict[str, Any],
    roles: list[dict[str, Any]] | None = None,
) -> Opportunity:
    """Change an opportunity's fields; `roles`, when given, replace all its roles."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not permissions.can_edit_opportunity(actor, opportunity):
        raise PermissionDenied
    if opportunity.status in permissions.FINAL_STATUSES:
        raise ValidationError(_("A closed or cancelled opportunity cannot be edited."))
    data = _clean_data(data)
    if roles is not None and Project.objects.filter(opportunity=opportunity).exists():
        raise ValidationError(
            {
                "roles": _(
                    "This opportunity's team is formed: change its roles on the project's page, "
                    "and the opportunity follows."
                )
            }
        )
    if roles is not None:
        roles = _clean_roles(list(roles))
        if not roles and opportunity.status != Opportunity.Status.DRAFT:
            raise ValidationError({"roles": _("A published opportunity needs at least one role.")})
    opportunity = _save(opportunity, data, roles)
    audit_record(
        actor=actor,
        action="opportunity.update",
        target=opportunity,
        after={"fields": sorted(data), "roles": None if roles is None else len(roles)},
    )
    return opportunity


@transaction.atomic
def opportunity_transition(
    *,
    actor,
    opportunity: Opportunity,
    to_status: str,
    note: str = "",
    leave_unfilled: bool = False,
) -> Opportunity:
    """Move the opportunity along its allowed path and record who did it.

    The move is one conditional UPDATE on the status the caller saw: of two clicks racing, one
    wins and the other gets StaleStatus. Opening it notifies the people it fits, after commit.

    "Staffed" means every role has an accepted member. Short of that, staffing ends (staffed or
    closed) only when the coordinator says `leave_unfilled`, and the transition records which
    roles were left unfilled."""
    if not permissions.can_transition_opportunity(actor, opportunity):
        raise PermissionDenied
    return _opportunity_move(
        actor=actor,
        opportunity=opportunity,
        to_status=to_status,
        note=note,
        leave_unfilled=leave_unfilled,
    )


def _unfilled_check(opportunity: Opportunity, to_status: str, leave_unfilled: bool) -> list:
    from projects.selectors import unfilled_roles

    if to_status not in ENDS_STAFFING:
        return []
    unfilled = unfilled_roles(opportunity)
    if unfilled and not leave_unfilled:
        titles = ", ".join(role["title"] for role in unfilled)
        if to_status == Opportunity.Status.STAFFED:
            message = _(
                "“Staffed” needs an accepted member in every role; still empty: %(roles)s. "
                "Close staffing with these roles recorded as unfilled, or fill them first."
            )
        else:
            message = _(
                "These roles have nobody accepted: %(roles)s. Closing records them as unfilled: "
                "confirm that to close."
            )
        raise ValidationError({"leave_unfilled": message % {"roles": titles}})
    return unfilled


def _opportunity_move(
    *,
    actor,
    opportunity: Opportunity,
    to_status: str,
    note: str = "",
    leave_unfilled: bool = False,
) -> Opportunity:
    """The move itself, for callers that have checked who may make it (a team filling up moves
    its opportunity to "staffed" when the last invitee, not a coordinator, accepts)."""
    if to_status not in Opportunity.Status.values:
        raise ValidationError({"to_status": _("Unknown status.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    from_status = opportunity.status
    if not opportunity.can_move_to(to_status):
        raise ValidationError(
            {
                "to_status": _("An opportunity cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": Opportunity.Status(from_status).label,
                    "to": Opportunity.Status(to_status).label,
                }
            }
        )
    if to_status == Opportunity.Status.OPEN and not opportunity.roles.exists():
        raise ValidationError({"to_status": _("Add at least one role before opening.")})
    unfilled = _unfilled_check(opportunity, to_status, leave_unfilled)
    now = timezone.now()
    changes = {"status": to_status, "updated_at": now}
    if to_status == Opportunity.Status.OPEN and opportunity.opened_at is None:
        changes["opened_at"] = now
    moved = Opportunity.objects.filter(pk=opportunity.pk, status=from_status).update(**changes)
    if moved != 1:
        raise StaleStatus(
            _("Someone changed this opportunity's status meanwhile. Reload and try again.")
        )
    for name, value in changes.items():
        setattr(opportunity, name, value)
    OpportunityTransition.objects.create(
        opportunity=opportunity,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note.strip(),
        at=now,
        unfilled_roles=unfilled,
    )
    after = {"status": to_status}
    if unfilled:
        after["unfilled_roles"] = [role["title"] for role in unfilled]
    audit_record(
        actor=actor,
        action="opportunity.transition",
        target=opportunity,
        before={"status": from_status},
        after=after,
    )
    if to_status == Opportunity.Status.OPEN:
        from projects.tasks import notify_fitting_people

        notify_fitting_people.delay_on_commit(opportunity.pk)
    return opportunity


# interest ---------------------------------------------------------------------------------------
@transaction.atomic
def interest_express(
    *, actor, opportunity: Opportunity, role: OpportunityRole | None = None, note: str = ""
) -> Interest:
    if not permissions.can_express_interest(actor, opportunity):
        raise PermissionDenied(
            _("You can say you are interested only in an open opportunity you can see.")
        )
    person = person_of(actor)
    if role is not None and role.opportunity_id != opportunity.pk:
        raise ValidationError({"role": _("This role belongs to another opportunity.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    duplicate = ValidationError(_("You have already said you are interested in this opportunity."))
    if Interest.objects.filter(opportunity=opportunity, person=person).exists():
        raise duplicate
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                opportunity=opportunity, person=person, role=role, note=note.strip()
            )
    except IntegrityError:  # a second tab won the race
        raise duplicate from None
    audit_record(
        actor=actor,
        action="interest.express",
        target=interest,
        after={"opportunity": opportunity.pk, "role": role.pk if role else None},
    )
    return interest


@transaction.atomic
def interest_withdraw(*, actor, opportunity: Opportunity) -> None:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied
    interest = Interest.objects.filter(opportunity=opportunity, person=person).first()
    if interest is None:
        raise ValidationError(_("You have not said you are interested in this opportunity."))
    audit_record(
        actor=actor,
        action="interest.withdraw",
        target=interest,
        before={"opportunity": opportunity.pk},
    )
    interest.delete()


# notifications ----------------------------------------------------------------------------------
def notifications_record(*, opportunity_id: int) -> int:
    """Write one notification row per fitting person (their channel: now or weekly).

    The unique (opportunity, person) key makes this safe to repeat: people already recorded are
    skipped, so a retried task or a re-opened opportunity never adds a second row for anyone.
    Returns how many people are recorded for the opportunity in all."""
    from projects.selectors import alert_recipients

    opportunity = Opportunity.objects.filter(pk=opportunity_id).first()
    if opportunity is None or opportunity.status != Opportunity.Status.OPEN:
        return 0
    people = alert_recipients(opportunity).values_list("pk", "opportunity_notifications")
    OpportunityNotification.objects.bulk_create(
        [
            OpportunityNotification(opportunity=opportunity, person_id=pk, channel=channel)
            for pk, channel in people
        ],
        ignore_conflicts=True,
    )
    return OpportunityNotification.objects.filter(opportunity=opportunity).count()


# projects and teams -----------------------------------------------------------------------------
PROJECT_FIELDS = (
    "name",
    "description",
    "lead_coop",
    "source_coop",
    "client_organisation",
    "client_name",
    "phase",
    "status",
    "visibility",
    "start_date",
    "end_date",
    "core_hours_start_utc",
    "core_hours_end_utc",
    "min_overlap_hours",
    "min_coops",
    "max_per_coop",
)
# Walking an opportunity to "staffed" along its allowed path, from wherever it is.
STAFFING_PATH = {
    Opportunity.Status.OPEN: Opportunity.Status.MATCHING,
    Opportunity.Status.MATCHING: Opportunity.Status.TEAM_PROPOSED,
    Opportunity.Status.TEAM_PROPOSED: Opportunity.Status.STAFFED,
}
STALE_RUN = dt.timedelta(minutes=10)  # a run "running" this long lost its worker


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
    *, actor, circle: Circle, data: dict[str, Any], roles: list[dict[str, Any]]
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
def project_from_opportunity(*, actor, opportunity: Opportunity) -> Project:
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


def _walk_opportunity(actor, project: Project, target: str, note: str) -> None:
    """Move the project's opportunity forward to `target` along the allowed path."""
    if project.opportunity_id is None:
        return
    opportunity = Opportunity.objects.select_for_update().get(pk=project.opportunity_id)
    order = [*STAFFING_PATH, Opportunity.Status.STAFFED]
    if opportunity.status not in order or order.index(opportunity.status) >= order.index(target):
        return
    while opportunity.status != target:
        _opportunity_move(
            actor=actor,
            opportunity=opportunity,
            to_status=STAFFING_PATH[opportunity.status],
            note=note,
        )


# editing a project and its team roles --------------------------------------------------------
# While its opportunity is being staffed, the opportunity's roles follow the team's: a seat
# added, changed or removed on the project is added, changed or removed on the opportunity.
MIRRORED = frozenset(
    {Opportunity.Status.OPEN, Opportunity.Status.MATCHING, Opportunity.Status.TEAM_PROPOSED}
)


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


@transaction.atomic
def project_update(*, actor, project: Project, data: dict[str, Any]) -> Project:
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


def _skills_of(role: TeamRole) -> list[tuple]:
    return sorted(role.skills.values_list("skill_id", "min_level", "weight"))


@transaction.atomic
def team_role_add(*, actor, project: Project, role: dict[str, Any]) -> TeamRole:
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
    if opportunity is not None:
        seat = _opportunity_seat(opportunity, cleaned)
        TeamRole.objects.filter(pk=saved.pk).update(source_role=seat)
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
def team_role_update(*, actor, role: TeamRole, data: dict[str, Any]) -> TeamRole:
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
    role.save(update_fields=["title", "phase", "hours_per_week"])
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
    after = {
        "title": role.title,
        "phase": role.phase,
        "hours_per_week": role.hours_per_week,
        "skills": _skills_of(role),
    }
    asked = {k: v for k, v in after.items() if k != "phase"}
    if opportunity is not None and asked != {k: v for k, v in before.items() if k != "phase"}:
        # The opportunity asks for what the seat now needs: its own role if it was the only
        # seat of it, else a seat split off into a role of its own.
        source = OpportunityRole.objects.filter(
            pk=role.source_role_id, opportunity=opportunity
        ).first()
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
            role.save(update_fields=["source_role"])
    audit_record(actor=actor, action="team_role.update", target=role, before=before, after=after)
    return role


@transaction.atomic
def team_role_remove(*, actor, role: TeamRole) -> None:
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


# matching ---------------------------------------------------------------------------------------
@transaction.atomic
def match_run_request(
    *, actor, project: Project, mode: str = MatchRun.Mode.ALL_ROLES, role: TeamRole | None = None
) -> MatchRun:
    """Queue a matching run (after commit). While one is queued or running for the project,
    that run is returned instead: two clicks make one run."""
    from projects.selectors import open_roles

    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_run_matching(actor, project):
        raise PermissionDenied(_("Only the project's leads and circle coordinators run matching."))
    if mode not in MatchRun.Mode.values:
        raise ValidationError({"mode": _("Unknown mode.")})
    open_now = list(open_roles(project))
    if mode == MatchRun.Mode.ONE_ROLE:
        if role is None or role.project_id != project.pk:
            raise ValidationError({"role": _("Choose one of this project's roles.")})
        if role.pk not in {r.pk for r in open_now}:
            raise ValidationError({"role": _("This role is already filled or has an invitee.")})
    else:
        role = None
        if not open_now:
            raise ValidationError(_("Every role is filled or has an invitee: nothing to match."))
    pending = project.match_runs.filter(
        status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).first()
    if pending is not None:
        return pending
    run = MatchRun.objects.create(project=project, mode=mode, role=role, requested_by=actor)
    _walk_opportunity(actor, project, Opportunity.Status.MATCHING, _("Team matching started."))
    audit_record(actor=actor, action="match_run.request", target=run, after={"mode": mode})
    from projects.tasks import run_matching

    run_matching.delay_on_commit(run.pk)
    return run


def match_run_claim(*, run_id: int) -> bool:
    """Take the run for this worker: queued, or "running" so long its worker must be gone.
    One conditional UPDATE: of two deliveries of the task, one wins."""
    now = timezone.now()
    claimable = Q(status=MatchRun.Status.QUEUED) | Q(
        status=MatchRun.Status.RUNNING, started_at__lt=now - STALE_RUN
    )
    return (
        MatchRun.objects.filter(claimable, pk=run_id).update(
            status=MatchRun.Status.RUNNING, started_at=now, progress=5
        )
        == 1
    )


def _progress(run_id: int, percent: int) -> None:
    MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(progress=percent)


def _scored(scored) -> dict:
    return {
        "person": scored.person,
        "coop": scored.coop,
        "score": scored.score,
        "parts": scored.parts,
    }


def match_run_execute(*, run_id: int, time_limit: float = 10.0) -> MatchRun:
    """Run a claimed matching run and store its proposal, replacing the project's earlier one.

    Progress is written as it goes (outside any transaction, so the page sees it). Proposals
    are TeamMembership rows in "proposed"; invitations already sent are never touched."""
    from projects.selectors import matching_input, open_roles

    run = MatchRun.objects.select_related("project", "role").get(pk=run_id)
    project = run.project
    try:
        roles = list(open_roles(project))
        if run.mode == MatchRun.Mode.ONE_ROLE:
            roles = [r for r in roles if r.pk == run.role_id]
        _progress(run.pk, 10)
        team, pool = matching_input(project, roles)
        result = matching.match(
            team,
            pool,
            time_limit=time_limit,
            progress=lambda percent: _progress(run.pk, 10 + percent * 8 // 10),
        )
        with transaction.atomic():
            locked = MatchRun.objects.select_for_update().get(pk=run.pk)
            if locked.status != MatchRun.Status.RUNNING:
                return locked  # reclaimed by a later delivery meanwhile
            _store_proposal(project, roles, locked, result)
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRun.Status.DONE,
                progress=100,
                finished_at=timezone.now(),
                solver_status=f"{result.method}:{result.status}",
                proven_gap=result.proven_gap,
                result=_result_json(result),
            )
    except Exception as error:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    run.refresh_from_db()
    return run


def _result_json(result: matching.Result) -> dict:
    return {
        "roles": [
            {
                "role": p.role,
                "chosen": _scored(p.chosen) if p.chosen else None,
                "alternates": [_scored(a) for a in p.alternates],
            }
            for p in result.proposals
        ],
        "gaps": [
            {"role": g.role, "candidates": g.candidates, "failed": g.failed} for g in result.gaps
        ],
        "objective": result.objective,
        "bound": result.bound,
        "proven_gap": result.proven_gap,
        "total_score": result.total_score,
        "method": result.method,
        "status": result.status,
        "dropped": result.dropped,
        "seconds": round(result.seconds, 3),
    }


def _store_proposal(project: Project, roles, run: MatchRun, result: matching.Result) -> None:
    role_ids = [r.pk for r in roles]
    TeamMembership.objects.filter(
        project=project, role_id__in=role_ids, status=TeamMembership.Status.PROPOSED
    ).delete()
    hours = {r.pk: r.hours_per_week for r in roles}
    TeamMembership.objects.bulk_create(
        TeamMembership(
            project=project,
            role_id=p.role,
            person_id=p.chosen.person,
            status=TeamMembership.Status.PROPOSED,
            hours_per_week=hours[p.role],
            start_date=project.start_date,
            end_date=project.end_date,
            match_run=run,
            score=_scored(p.chosen),
        )
        for p in result.proposals
        if p.chosen is not None
    )


@transaction.atomic
def proposal_swap(*, actor, project: Project, role: TeamRole, person: Person) -> TeamMembership:
    """Put one of the latest run's alternates for `role` in place of the proposed person."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_manage_project(actor, project):
        raise PermissionDenied
    if role.project_id != project.pk:
        raise ValidationError({"role": _("This role belongs to another project.")})
    run = project.match_runs.filter(status=MatchRun.Status.DONE).order_by("-created_at", "-id")
    run = run.first()
    entry = None
    if run is not None:
        entry = next((e for e in run.result.get("roles", []) if e["role"] == role.pk), None)
    alternates = {a["person"]: a for a in (entry or {}).get("alternates", [])}
    if person.pk not in alternates:
        raise ValidationError({"person": _("Choose one of the alternates the matching found.")})
    if TeamMembership.objects.filter(role=role, status__in=TeamMembership.COMMITTED).exists():
        raise ValidationError({"role": _("This role already has an invitee.")})
    if (
        TeamMembership.objects.filter(
            project=project, person=person, status__in=TeamMembership.LIVE
        )
        .exclude(role=role)
        .exists()
    ):
        raise ValidationError(
            {"person": _("%(name)s is already in this team's proposal.") % {"name": person}}
        )
    from projects.selectors import swap_breaks, team_people

    broken = swap_breaks(
        project,
        team_people(project),
        team_size=project.roles.count(),
        role_id=role.pk,
        person_id=person.pk,
        coop_id=person.organisation_id,
    )
    if broken:
        raise ValidationError({"person": swap_refusal(project, broken)})
    current = TeamMembership.objects.filter(
        project=project, role=role, status=TeamMembership.Status.PROPOSED
    ).first()
    previous = current.person_id if current else None
    if current is not None:
        current.delete()
    membership = TeamMembership.objects.create(
        project=project,
        role=role,
        person=person,
        status=TeamMembership.Status.PROPOSED,
        hours_per_week=role.hours_per_week,
        start_date=project.start_date,
        end_date=project.end_date,
        match_run=run,
        score=alternates[person.pk],
    )
    # The swapped-out person becomes an alternate in their turn.
    entry["alternates"] = [a for a in entry["alternates"] if a["person"] != person.pk]
    if entry.get("chosen"):
        entry["alternates"].insert(0, entry["chosen"])
    entry["chosen"] = alternates[person.pk]
    for other in run.result["roles"]:  # now on the team: no longer an alternate elsewhere
        if other is not entry:
            other["alternates"] = [a for a in other["alternates"] if a["person"] != person.pk]
    # Changed by hand: no longer the solver's team, so no longer proven the best one.
    run.result["edited"] = True
    MatchRun.objects.filter(pk=run.pk).update(result=run.result)
    audit_record(
        actor=actor,
        action="proposal.swap",
        target=membership,
        before={"person": previous},
        after={"person": person.pk},
    )
    return membership


def swap_refusal(project: Project, broken: set[str]) -> str:
    """Why a swap is refused, in the coordinator's words."""
    reasons = []
    if matching.MAX_PER_COOP in broken:
        reasons.append(
            _("It would put more people from one co-op in the team than the rules allow.")
        )
    if matching.MIN_COOPS in broken:
        reasons.append(
            _("It would leave the team with fewer than %(n)d co-ops.") % {"n": project.min_coops}
        )
    return " ".join(reasons)


@transaction.atomic
def invitations_send(*, actor, project: Project) -> int:
    """Turn the proposal into invitations (emails go after commit, once each).
    Returns how many people were invited now."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_manage_project(actor, project):
        raise PermissionDenied
    proposed = list(
        TeamMembership.objects.select_for_update(of=("self",))
        .filter(project=project, status=TeamMembership.Status.PROPOSED)
        .select_related("person")
    )
    if not proposed:
        raise ValidationError(_("There is no proposal to send: run the matching first."))
    now = timezone.now()
    invited = TeamMembership.objects.filter(
        pk__in=[m.pk for m in proposed], status=TeamMembership.Status.PROPOSED
    ).update(status=TeamMembership.Status.INVITED, invited_at=now)
    # People without an account get a join link: signing up with it accepts the seat.
    for membership in proposed:
        if membership.person.user_id is None:
            join = members_services.invitation_for_person(
                invited_by=actor, person=membership.person
            )
            TeamMembership.objects.filter(pk=membership.pk).update(join_invitation=join)
    _walk_opportunity(actor, project, Opportunity.Status.TEAM_PROPOSED, _("Invitations sent."))
    audit_record(
        actor=actor,
        action="team.invite",
        target=project,
        after={"people": sorted(m.person_id for m in proposed)},
    )
    from projects.tasks import send_team_invitations

    send_team_invitations.delay_on_commit(project.pk)
    return invited


def _respond(actor, membership: TeamMembership, accept: bool) -> TeamMembership:
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != TeamMembership.Status.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    project = Project.objects.select_for_update().get(pk=membership.project_id)
    now = timezone.now()
    membership.status = TeamMembership.Status.ACCEPTED if accept else TeamMembership.Status.DECLINED
    membership.responded_at = now
    membership.save(update_fields=["status", "responded_at"])
    if accept:
        TeamRole.objects.filter(pk=membership.role_id).update(filled=True)
        if not project.roles.filter(filled=False).exists():
            if project.status == Project.Status.FORMING:
                project.status = Project.Status.ACTIVE
                project.save(update_fields=["status", "updated_at"])
            _walk_opportunity(
                actor, project, Opportunity.Status.STAFFED, _("Every role of the team is filled.")
            )
    audit_record(
        actor=actor,
        action="team.accept" if accept else "team.decline",
        target=membership,
        after={"role": membership.role_id},
    )
    return membership


def seats_accept_on_join(invitation, person) -> None:
    """Registered with members.hooks: someone who signs up with the join link of a team
    invitation accepts that seat in the same transaction. A seat no longer waiting for them
    (withdrawn, or answered) is left as it is; the account is still theirs."""
    seats = TeamMembership.objects.filter(
        join_invitation=invitation, person=person, status=TeamMembership.Status.INVITED
    ).order_by("id")
    for membership in seats:
        _respond(person.user, membership, True)


def join_invitation_notes(invitation) -> list[str]:
    """Registered with members.hooks: the join page says which team seat waits."""
    return [
        _(
            "You are invited to the team of “%(project)s” as %(role)s. Creating your account "
            "accepts this place."
        )
        % {"project": m.project.name, "role": m.role.title}
        for m in TeamMembership.objects.filter(
            join_invitation=invitation, status=TeamMembership.Status.INVITED
        )
        .select_related("project", "role")
        .order_by("id")
    ]


@transaction.atomic
def membership_respond(*, actor, membership: TeamMembership, accept: bool) -> TeamMembership:
    """The invited person accepts or declines. When the last open role is accepted the project
    becomes active and its opportunity staffed."""
    if not permissions.can_respond(actor, membership):
        raise PermissionDenied(_("Only the invited person answers this invitation."))
    return _respond(actor, membership, accept)


INVITATION_SALT = "projects.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30


def invitation_token(membership: TeamMembership) -> str:
    return signing.dumps({"m": membership.pk, "p": membership.person_id}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> TeamMembership:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
        membership = TeamMembership.objects.select_related("project", "role", "person").get(
            pk=data["m"], person_id=data["p"]
        )
    except (signing.BadSignature, KeyError, TypeError, TeamMembership.DoesNotExist):
        raise ValidationError(_("This invitation link is not valid (or has expired).")) from None
    return membership


@transaction.atomic
def membership_respond_by_link(*, token: str, accept: bool) -> TeamMembership:
    """The same answer from the signed link in the email: the link stands for the person."""
    membership = invitation_from_token(token)
    user = membership.person.user
    return _respond(user, membership, accept)
