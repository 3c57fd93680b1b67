"""Every write to job opportunities and the interest people say they have: named verbs,
keyword-only, atomic, audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from circles.models import Circle
from members.models import Language, Organisation, PersonSkill, Skill
from members.permissions import person_of
from patio import outbox
from projects import permissions
from projects.models import (
    CURRENCIES,
    MAX_BUDGET,
    Interest,
    Opportunity,
    OpportunityRole,
    OpportunityTransition,
    Project,
    RoleSkill,
)
from projects.selectors.opportunities import unfilled_roles
from projects.tasks import notify_fitting_people
from webhooks import events

if TYPE_CHECKING:
    from accounts.models import AnyUser

# What a caller may set through `data`; anything else is refused rather than ignored. The page's
# form shows them in this order, and the API returns them.
FIELDS = (
    "title",
    "description",
    "visibility",
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
)


MAX_ROLES = 20


MAX_SKILLS_PER_ROLE = 15


MAX_LANGUAGES = 20


DESCRIPTION_MAX = 20_000


# Moves that end staffing: short of a full team they record the roles left unfilled.
ENDS_STAFFING = frozenset({Opportunity.Status.STAFFED, Opportunity.Status.CLOSED})
# Moves after which an opportunity takes nobody more: partners hear it closed.
ENDS_FOR_GOOD = frozenset({Opportunity.Status.CLOSED, Opportunity.Status.CANCELLED})

# The webhook events of opportunities (registered in projects.apps).
OPPORTUNITY_OPENED = "opportunity.opened"
OPPORTUNITY_CLOSED = "opportunity.closed"


class StaleStatus(ValidationError):
    """The opportunity's status changed since the caller read it (two clicks raced)."""


# validation -------------------------------------------------------------------------------------
def _clean_budget(value: Any) -> Decimal | None:
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
    if budget <= 0:
        # No budget is an empty field, not 0: a budget of nothing reads as an unpaid job.
        raise ValidationError({"budget": _("The budget must be more than zero.")})
    if budget > MAX_BUDGET:
        raise ValidationError(
            {"budget": _("The budget cannot be more than %(max)s.") % {"max": f"{MAX_BUDGET:,}"}}
        )
    exponent = budget.as_tuple().exponent  # an int: the budget is finite
    if isinstance(exponent, int) and exponent < -2:
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


def _save(
    opportunity: Opportunity, data: dict[str, Any], roles: list[dict[str, Any]] | None
) -> Opportunity:
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
    *, actor: AnyUser, circle: Circle, data: dict[str, Any], roles: list[dict[str, Any]]
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
    actor: AnyUser,
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
    actor: AnyUser,
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


def _check_move(opportunity: Opportunity, to_status: str, note: str) -> None:
    """Refuse a move the opportunity's path does not allow, or one it is not ready for."""
    if to_status not in Opportunity.Status.values:
        raise ValidationError({"to_status": _("Unknown status.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    if not opportunity.can_move_to(to_status):
        raise ValidationError(
            {
                "to_status": _("An opportunity cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": Opportunity.Status(opportunity.status).label,
                    "to": Opportunity.Status(to_status).label,
                }
            }
        )
    if to_status == Opportunity.Status.OPEN and not opportunity.roles.exists():
        raise ValidationError({"to_status": _("Add at least one role before opening.")})


def _unfilled_check(
    opportunity: Opportunity, to_status: str, leave_unfilled: bool
) -> list[dict[str, Any]]:
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
    actor: AnyUser | None,
    opportunity: Opportunity,
    to_status: str,
    note: str = "",
    leave_unfilled: bool = False,
) -> Opportunity:
    """The move itself, for callers that have checked who may make it (a team filling up moves
    its opportunity to "staffed" when the last invitee, not a coordinator, accepts)."""
    _check_move(opportunity, to_status, note)
    from_status = opportunity.status
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
        actor=actor if isinstance(actor, User) else None,
        note=note.strip(),
        at=now,
        unfilled_roles=unfilled,
    )
    after: dict[str, Any] = {"status": to_status}
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
        outbox.enqueue(notify_fitting_people, opportunity.pk)
    if to_status == Opportunity.Status.OPEN and from_status == Opportunity.Status.DRAFT:
        events.emit(OPPORTUNITY_OPENED, opportunity)
    elif to_status in ENDS_FOR_GOOD:
        events.emit(OPPORTUNITY_CLOSED, opportunity)
    return opportunity


# interest ---------------------------------------------------------------------------------------
@transaction.atomic
def interest_express(
    *, actor: AnyUser, opportunity: Opportunity, role: OpportunityRole | None = None, note: str = ""
) -> Interest:
    if not permissions.can_express_interest(actor, opportunity):
        raise PermissionDenied(
            _("You can say you are interested only in an open opportunity you can see.")
        )
    person = person_of(actor)
    assert person is not None  # can_express_interest asks for one
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
def interest_withdraw(*, actor: AnyUser, opportunity: Opportunity) -> None:
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
