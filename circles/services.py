"""Every write to circles that matters: named verbs, keyword-only, atomic, audited.

Membership dates are inclusive (a row is current from `start_date` through `end_date`, see
CircleMembership.objects.current()). So a membership ended "now" gets yesterday as its last day,
and a role change ends the old row yesterday and starts the new one today: no day has two rows,
and the old role stays in the history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from circles import permissions
from circles.models import Circle, CircleMembership, MembershipRequest
from circles.selectors import holds_active_membership
from members.models import Person
from members.permissions import person_of
from members.selectors import directory_changed
from patio.dates import network_today

if TYPE_CHECKING:
    from accounts.models import AnyUser

CIRCLE_FIELDS = (
    "name",
    "purpose",
    "domain",
    "accountabilities",
    "parent",
    "status",
    "meeting_rhythm",
    "triages_help_requests",
    "handles_conflicts",
)
# Who sees requests for help (with personal data), who mediates conflicts and where a circle
# hangs are network matters.
ADMIN_ONLY_FIELDS = ("parent", "triages_help_requests", "handles_conflicts")
MAX_ACCOUNTABILITIES = 30
MAX_ACCOUNTABILITY_LENGTH = 300


# Participation --------------------------------------------------------------------------------
def participation_refresh(person_ids: Iterable[int] | None = None) -> int:
    """Store what the participation rule (circles.selectors) says, for these people or everyone.

    Writes only rows whose value changes, with two UPDATEs; returns how many changed."""
    people = Person.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    active, passive = Person.Participation.ACTIVE, Person.Participation.PASSIVE
    rule = holds_active_membership()
    now = timezone.now()
    changed = (
        people.filter(rule)
        .exclude(participation=active)
        .update(participation=active, updated_at=now)
    )
    changed += (
        people.filter(~rule)
        .exclude(participation=passive)
        .update(participation=passive, updated_at=now)
    )
    if changed:
        # Queryset updates send no signals: bump the directory's cache version ourselves.
        transaction.on_commit(directory_changed)
    return changed


# Circles ----------------------------------------------------------------------------------------
def _clean_accountabilities(value: str | Iterable[object] | None) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    items = [str(item).strip() for item in value or [] if str(item).strip()]
    if len(items) > MAX_ACCOUNTABILITIES:
        raise ValidationError(
            {
                "accountabilities": _("List at most %(n)d accountabilities.")
                % {"n": MAX_ACCOUNTABILITIES}
            }
        )
    if any(len(item) > MAX_ACCOUNTABILITY_LENGTH for item in items):
        raise ValidationError(
            {
                "accountabilities": _("Each accountability must be at most %(n)d characters.")
                % {"n": MAX_ACCOUNTABILITY_LENGTH}
            }
        )
    return items


def _full_clean(instance: Model, **kwargs: Any) -> None:
    """full_clean, plus the max_length of text fields, which Django's model validation skips."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        limit = field.max_length if field.get_internal_type() == "TextField" else None
        if limit and value and len(value) > limit:
            errors[field.name] = [
                _("Ensure this value has at most %(limit)d characters (it has %(n)d).")
                % {"limit": limit, "n": len(value)}
            ]
    if errors:
        raise ValidationError(errors)
    instance.full_clean(**kwargs)


def _check_parent(circle: Circle, parent: Circle | None) -> None:
    seen = {circle.pk} if circle.pk else set()
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("A circle cannot sit inside itself.")})
        seen.add(parent.pk)
        parent = parent.parent


def unique_circle_slug(name: str) -> str:
    base = slugify(name)[:130] or "circle"
    slug, n = base, 2
    while Circle.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _audit_value(value: Any) -> Any:
    if isinstance(value, Circle):
        return value.slug
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def circle_create(
    *,
    actor: AnyUser,
    name: str,
    purpose: str,
    domain: str = "",
    accountabilities: Iterable[str] | str = (),
    parent: Circle | None = None,
    status: str = Circle.Status.ACTIVE,
    meeting_rhythm: str = "",
    triages_help_requests: bool = False,
    handles_conflicts: bool = False,
    coordinators: Iterable[Person] = (),
) -> Circle:
    """A network admin creates a circle and appoints its first coordinators."""
    if not permissions.can_create_circle(actor):
        raise PermissionDenied
    circle = Circle(
        name=name.strip(),
        slug=unique_circle_slug(name),
        purpose=purpose.strip(),
        domain=domain.strip(),
        accountabilities=_clean_accountabilities(accountabilities),
        parent=parent,
        status=status,
        meeting_rhythm=meeting_rhythm.strip(),
        triages_help_requests=triages_help_requests,
        handles_conflicts=handles_conflicts,
    )
    _full_clean(circle)
    circle.save()
    coordinators = list(dict.fromkeys(coordinators))
    for person in coordinators:
        CircleMembership.objects.create(
            circle=circle, person=person, role=CircleMembership.Role.COORDINATOR
        )
    audit_record(
        actor=actor,
        action="circle.create",
        target=circle,
        after={"parent": _audit_value(parent), "coordinators": [p.pk for p in coordinators]},
    )
    participation_refresh([p.pk for p in coordinators])
    return circle


@transaction.atomic
def circle_update(*, actor: AnyUser, circle: Circle, data: dict[str, Any]) -> Circle:
    """Save the given fields of a circle; coordinators of it or network admins. Only what
    changed is written. Its parent, whether it triages requests for help and whether it
    mediates conflicts: admins only."""
    if not permissions.can_edit_circle(actor, circle):
        raise PermissionDenied
    unknown = set(data) - set(CIRCLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    if "accountabilities" in data:
        data = {**data, "accountabilities": _clean_accountabilities(data["accountabilities"])}
    changes = {
        name: (getattr(circle, name), value)
        for name, value in data.items()
        if getattr(circle, name) != value
    }
    if not changes:
        return circle
    if "handles_conflicts" in changes and not permissions.is_network_admin(actor):
        raise PermissionDenied(_("Only network admins choose the circles that mediate conflicts."))
    if set(changes) & set(ADMIN_ONLY_FIELDS) and not permissions.is_network_admin(actor):
        raise PermissionDenied(
            _("Only network admins move a circle or choose who triages requests.")
        )
    if "parent" in changes:
        _check_parent(circle, changes["parent"][1])
    for name, (_before, after) in changes.items():
        setattr(circle, name, after)
    _full_clean(circle)
    fields = ["parent_id" if name == "parent" else name for name in changes]
    circle.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="circle.update",
        target=circle,
        before={k: _audit_value(v[0]) for k, v in changes.items()},
        after={k: _audit_value(v[1]) for k, v in changes.items()},
    )
    if "status" in changes:
        participation_refresh(
            CircleMembership.objects.current()
            .filter(circle=circle)
            .values_list("person_id", flat=True)
        )
    return circle


# Memberships ------------------------------------------------------------------------------------
def _membership_audit(membership: CircleMembership) -> dict[str, Any]:
    return {
        "circle": membership.circle.slug,
        "person": membership.person_id,
        "role": membership.role,
        "hours_per_month": membership.hours_per_month,
        "start_date": _audit_value(membership.start_date),
        "end_date": _audit_value(membership.end_date),
    }


def _add(
    *,
    circle: Circle,
    person: Person,
    role: str,
    hours_per_month: int,
    duties: str,
    start_date: date,
) -> CircleMembership:
    overlapping = CircleMembership.objects.filter(circle=circle, person=person).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if overlapping.exists():
        raise ValidationError(
            {"person": _("%(person)s is already a member of this circle.") % {"person": person}}
        )
    membership = CircleMembership(
        circle=circle,
        person=person,
        role=role,
        hours_per_month=hours_per_month,
        duties=duties.strip(),
        start_date=start_date,
    )
    _full_clean(membership)
    try:
        with transaction.atomic():  # a concurrent add of the same person loses cleanly
            membership.save()
    except IntegrityError:
        raise ValidationError(
            {"person": _("%(person)s is already a member of this circle.") % {"person": person}}
        ) from None
    return membership


@transaction.atomic
def membership_add(
    *,
    actor: AnyUser,
    circle: Circle,
    person: Person,
    role: str = CircleMembership.Role.MEMBER,
    hours_per_month: int = 0,
    duties: str = "",
    start_date: date | None = None,
) -> CircleMembership:
    if not permissions.can_manage_members(actor, circle):
        raise PermissionDenied
    membership = _add(
        circle=circle,
        person=person,
        role=role,
        hours_per_month=hours_per_month,
        duties=duties,
        start_date=start_date or network_today(),
    )
    audit_record(
        actor=actor,
        action="circle.membership.add",
        target=membership,
        after=_membership_audit(membership),
    )
    participation_refresh([person.pk])
    return membership


@transaction.atomic
def membership_change_role(
    *,
    actor: AnyUser,
    membership: CircleMembership,
    role: str | None = None,
    hours_per_month: int | None = None,
    duties: str | None = None,
) -> CircleMembership:
    """Change a current membership's role, hours or duties and return the row now current.

    A new role ends the row yesterday and starts a new one today, so the old role stays in the
    history (a row that started today is simply corrected). Hours and duties alone are edited
    in place."""
    if not permissions.can_manage_members(actor, membership.circle):
        raise PermissionDenied
    membership = CircleMembership.objects.select_for_update().get(pk=membership.pk)
    today = network_today()
    if membership.end_date is not None and membership.end_date < today:
        raise ValidationError(_("This membership has ended; add the person again instead."))
    before = _membership_audit(membership)
    wanted = {
        "role": membership.role if role is None else role,
        "hours_per_month": membership.hours_per_month
        if hours_per_month is None
        else hours_per_month,
        "duties": membership.duties if duties is None else duties.strip(),
    }
    changes = [name for name, value in wanted.items() if getattr(membership, name) != value]
    if not changes:
        return membership
    if "role" in changes and membership.start_date < today:
        end_date = membership.end_date
        membership.end_date = today - timedelta(days=1)
        membership.save(update_fields=["end_date", "updated_at"])
        current = CircleMembership(
            circle=membership.circle,
            person=membership.person,
            start_date=today,
            end_date=end_date,
            **wanted,
        )
        _full_clean(current)
        current.save()
    else:
        for name in changes:
            setattr(membership, name, wanted[name])
        _full_clean(membership)
        membership.save(update_fields=[*changes, "updated_at"])
        current = membership
    audit_record(
        actor=actor,
        action="circle.membership.change",
        target=current,
        before=before,
        after=_membership_audit(current),
    )
    return current


def _end(membership: CircleMembership, end_date: date | None) -> CircleMembership | None:
    """End a membership; returns it, or None when a row that never spanned a day is removed."""
    today = network_today()
    if end_date is None:
        if membership.start_date >= today:
            # Added today (or not started yet) and ended now: it never was; keep no history.
            membership.delete()
            return None
        end_date = today - timedelta(days=1)
    if end_date < membership.start_date:
        raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
    if membership.end_date is not None and membership.end_date < today:
        raise ValidationError(_("This membership has already ended."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    return membership


@transaction.atomic
def membership_end(
    *, actor: AnyUser, membership: CircleMembership, end_date: date | None = None
) -> CircleMembership | None:
    """End a membership: now (its last day is yesterday) or on a given last day.

    Returns the ended row, or None when a row that never spanned a day was removed instead."""
    if not permissions.can_manage_members(actor, membership.circle):
        raise PermissionDenied
    membership = (
        CircleMembership.objects.select_for_update().select_related("circle").get(pk=membership.pk)
    )
    before, person_id = _membership_audit(membership), membership.person_id
    if end_date is None and membership.start_date >= network_today():
        # Recorded first: once deleted, the row has no id to point at.
        audit_record(
            actor=actor, action="circle.membership.remove", target=membership, before=before
        )
    ended = _end(membership, end_date)
    if ended is not None:
        audit_record(
            actor=actor,
            action="circle.membership.end",
            target=ended,
            before=before,
            after=_membership_audit(ended),
        )
    participation_refresh([person_id])
    return ended


# Requests -----------------------------------------------------------------------------------------
def _current_membership(circle: Circle, person: Person) -> CircleMembership | None:
    return CircleMembership.objects.current().filter(circle=circle, person=person).first()


@transaction.atomic
def membership_request_create(
    *, actor: AnyUser, circle: Circle, kind: str, message: str = ""
) -> MembershipRequest:
    """A person asks to join or to leave a circle; one pending request of each kind."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only people of the network can join circles."))
    if kind not in MembershipRequest.Kind.values:
        raise ValidationError({"kind": _("Ask to join or to leave.")})
    is_member = _current_membership(circle, person) is not None
    if kind == MembershipRequest.Kind.JOIN and is_member:
        raise ValidationError(_("You are already a member of this circle."))
    if kind == MembershipRequest.Kind.JOIN and circle.status != Circle.Status.ACTIVE:
        raise ValidationError(_("This circle is dormant; it takes no new members now."))
    if kind == MembershipRequest.Kind.LEAVE and not is_member:
        raise ValidationError(_("You are not a member of this circle."))
    request = MembershipRequest(circle=circle, person=person, kind=kind, message=message.strip())
    _full_clean(request, validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(_("You already asked; a coordinator will answer soon.")) from None
    audit_record(
        actor=actor,
        action="circle.request.create",
        target=request,
        after={"circle": circle.slug, "kind": kind},
    )
    return request


def _claim(request: MembershipRequest, status: str, **fields: Any) -> None:
    """Move a pending request to `status`, once: two coordinators deciding together cannot both."""
    claimed = MembershipRequest.objects.filter(
        pk=request.pk, status=MembershipRequest.Status.PENDING
    ).update(status=status, **fields)
    if claimed != 1:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    request.refresh_from_db()


@transaction.atomic
def membership_request_decide(
    *,
    actor: AnyUser,
    request: MembershipRequest,
    approve: bool,
    role: str = CircleMembership.Role.MEMBER,
) -> MembershipRequest:
    """A coordinator of the circle (or an admin) approves or declines; approving a join adds the
    membership, approving a leave ends it."""
    if not permissions.can_decide_request(actor, request):
        raise PermissionDenied
    status = MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.DECLINED
    _claim(request, status, decided_by=person_of(actor), decided_at=timezone.now())
    if approve and request.kind == MembershipRequest.Kind.JOIN:
        if _current_membership(request.circle, request.person) is None:
            _add(
                circle=request.circle,
                person=request.person,
                role=role,
                hours_per_month=0,
                duties="",
                start_date=network_today(),
            )
    elif approve and request.kind == MembershipRequest.Kind.LEAVE:
        membership = _current_membership(request.circle, request.person)
        if membership is not None:
            _end(membership, None)
    audit_record(
        actor=actor,
        action="circle.request.decide",
        target=request,
        after={"status": status, "kind": request.kind, "person": request.person_id},
    )
    participation_refresh([request.person_id])
    return request


@transaction.atomic
def membership_request_withdraw(*, actor: AnyUser, request: MembershipRequest) -> MembershipRequest:
    if not permissions.can_withdraw_request(actor, request):
        raise PermissionDenied
    _claim(request, MembershipRequest.Status.WITHDRAWN)
    audit_record(actor=actor, action="circle.request.withdraw", target=request)
    return request
