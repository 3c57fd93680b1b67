"""Every write to assemblies that matters: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import DateTimeField, Exists, F, Max, Model, OuterRef, Q, QuerySet, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assemblies import delegation, permissions
from assemblies.emails import REMINDERS
from assemblies.hooks import agenda_sources, decision_listeners
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    AssemblySeries,
    Attendance,
    CalendarFeedToken,
    CircleUpdate,
    Correction,
    Decision,
    Minutes,
    MinutesRevision,
    ReminderDelivery,
    ReminderSettings,
    Rsvp,
    SeriesVolunteer,
    VoteDelegation,
)
from audit.services import audit_record
from circles.models import Circle, CircleMembership
from members.models import Person
from members.permissions import person_of
from patio import delivery, outbox
from webhooks import events

if TYPE_CHECKING:
    from accounts.models import AnyUser

# What an assembly's calendar event shows (assemblies.calendars): a change bumps its sequence.
CALENDAR_FIELDS = frozenset({"title", "start", "duration_minutes", "link", "place", "status"})

# The webhook events of assemblies (registered in assemblies.apps).
ASSEMBLY_SCHEDULED = "assembly.scheduled"
DECISION_RECORDED = "decision.recorded"

ASSEMBLY_FIELDS = (
    "title",
    "start",
    "duration_minutes",
    "link",
    "place",
    "visibility",
    "facilitator",
    "note_taker",
)


def requeue_after() -> timedelta:
    """A reminder claimed this long ago and still not started was lost with its worker (its task
    message died with it): the next dispatch queues it again."""
    # Early is harmless: a second message for a reminder already taken sends nothing.
    return timedelta(seconds=getattr(settings, "ASSEMBLY_REMINDER_REQUEUE_SECONDS", 120))


def _actor_person(actor: AnyUser) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the network."))
    return person


class RecordFrozen(ValidationError):
    """The assembly is closed: its minutes, decisions and attendance are frozen. Pages show the
    message; the API answers 409 Conflict. The way forward is a correction."""


def _frozen() -> RecordFrozen:
    return RecordFrozen(
        _("This assembly is closed: its record is frozen. Add a correction instead."),
        code="frozen",
    )


def _require(
    actor: AnyUser,
    assembly: Assembly,
    allowed: Callable[[AnyUser, Assembly], bool],
    *,
    meeting: bool = False,
) -> None:
    """Lock the assembly row (so a close and a write cannot cross), then check `allowed`
    (a permission function). A refusal says why: the record is frozen, the meeting is not open
    yet, or the actor may not do this at all."""
    assembly.status = (
        Assembly.objects.select_for_update().values_list("status", flat=True).get(pk=assembly.pk)
    )
    if allowed(actor, assembly):
        return
    if assembly.status == Assembly.Status.CLOSED and permissions.can_correct(actor, assembly):
        raise _frozen()
    if meeting and permissions.can_record(actor, assembly):
        raise ValidationError(
            _("Open the assembly first: attendance and decisions are taken in the meeting."),
            code="not_open",
        )
    raise PermissionDenied


def _changed(instance: Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (getattr(instance, k), v) for k, v in data.items() if getattr(instance, k) != v}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# Scheduling -------------------------------------------------------------------------------------
@transaction.atomic
def assembly_schedule(
    *,
    actor: AnyUser,
    title: str,
    start: datetime,
    duration_minutes: int = 90,
    link: str = "",
    place: str = "",
    visibility: str = Assembly.Visibility.MEMBERS,
    facilitator: Person | None = None,
    note_taker: Person | None = None,
    checked: bool = False,
) -> Assembly:
    """Schedule an assembly (network admins). `checked` is for an app above that has applied
    its own rule first: a closed time poll's author or circle coordinator (polls)."""
    if not (checked or permissions.can_schedule(actor)):
        raise PermissionDenied
    if timezone.is_naive(start):
        raise ValidationError({"start": _("The start needs a timezone.")})
    assembly = Assembly(
        title=title,
        start=start,
        duration_minutes=duration_minutes,
        link=link,
        place=place,
        visibility=visibility,
        facilitator=facilitator,
        note_taker=note_taker,
    )
    assembly.full_clean()
    assembly.save()
    audit_record(
        actor=actor,
        action="assembly.schedule",
        target=assembly,
        after={"start": start.isoformat(), "title": title},
    )
    _scheduled(assembly)
    return assembly


def _scheduled(assembly: Assembly) -> None:
    """Partners hear of an assembly once per time it is scheduled for (a move is news)."""
    events.emit(ASSEMBLY_SCHEDULED, assembly, occasion=assembly.start.isoformat())


@transaction.atomic
def assembly_update(*, actor: AnyUser, assembly: Assembly, data: dict[str, Any]) -> Assembly:
    """Edit or move an assembly (admins). A move re-arms the day-before and hour-before reminders,
    which were about the old time."""
    if not permissions.can_schedule(actor):
        raise PermissionDenied
    unknown = set(data) - set(ASSEMBLY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if assembly.is_over:
        raise ValidationError(_("A closed or cancelled assembly cannot be changed."))
    changes = _changed(assembly, data)
    if not changes:
        return assembly
    for name, (_before, after) in changes.items():
        setattr(assembly, name, after)
    assembly.full_clean()
    fields = [*changes, "updated_at"]
    if CALENDAR_FIELDS & set(changes):
        # In the database: two edits at once still count as two revisions.
        assembly.sequence = F("sequence") + 1
        fields.append("sequence")
    assembly.save(update_fields=fields)
    assembly.refresh_from_db(fields=["sequence"])
    if "start" in changes:
        _scheduled(assembly)
        ReminderDelivery.objects.filter(
            assembly=assembly,
            kind__in=[ReminderDelivery.Kind.DAY_BEFORE, ReminderDelivery.Kind.HOUR_BEFORE],
        ).delete()
    audit_record(
        actor=actor,
        action="assembly.update",
        target=assembly,
        before={k: _jsonable(v[0]) for k, v in changes.items()},
        after={k: _jsonable(v[1]) for k, v in changes.items()},
    )
    return assembly


@transaction.atomic
def assembly_cancel(*, actor: AnyUser, assembly: Assembly) -> Assembly:
    if not permissions.can_schedule(actor):
        raise PermissionDenied
    if assembly.status != Assembly.Status.PLANNED:
        raise ValidationError(_("Only a planned assembly can be cancelled."))
    assembly.status = Assembly.Status.CANCELLED
    assembly.sequence = F("sequence") + 1
    assembly.save(update_fields=["status", "sequence", "updated_at"])
    assembly.refresh_from_db(fields=["sequence"])
    audit_record(actor=actor, action="assembly.cancel", target=assembly)
    return assembly


@transaction.atomic
def assembly_set_status(*, actor: AnyUser, assembly: Assembly, status: str) -> Assembly:
    """Open the meeting, or close it (which publishes minutes, decisions and actions and freezes
    them). An assembly opens only on its day, one day either side (`Assembly.opens_on`)."""
    if not permissions.can_run(actor, assembly):
        raise PermissionDenied
    assembly.status = (
        Assembly.objects.select_for_update().values_list("status", flat=True).get(pk=assembly.pk)
    )
    allowed: dict[str, set[str]] = {
        Assembly.Status.PLANNED: {Assembly.Status.OPEN},
        Assembly.Status.OPEN: {Assembly.Status.CLOSED},
    }
    if status not in allowed.get(assembly.status, set()):
        raise ValidationError({"status": _("The assembly cannot move to this status.")})
    if status == Assembly.Status.OPEN and not assembly.opens_on(
        timezone.now().astimezone(UTC).date()
    ):
        raise ValidationError(
            {"status": _("An assembly opens only on its day (one day either side).")},
            code="not_its_day",
        )
    before = assembly.status
    assembly.status = status
    fields = ["status", "updated_at"]
    if status == Assembly.Status.OPEN and assembly.current_item_id is None:
        assembly.current_item = assembly.agenda_items.order_by("order", "id").first()
        fields.append("current_item")
    assembly.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="assembly.status",
        target=assembly,
        before={"status": before},
        after={"status": status},
    )
    return assembly


@transaction.atomic
def series_extend(
    *,
    series: AssemblySeries,
    count: int = 3,
    now: datetime | None = None,
    actor: AnyUser | None = None,
) -> list[Assembly]:
    """Create the next `count` assemblies of the series that do not exist yet. Idempotent: one
    assembly per series and occurrence day, so a moved or cancelled one is never recreated.
    `actor` is None when beat runs it."""
    if actor is not None and not permissions.can_schedule(actor):
        raise PermissionDenied
    if not series.active:
        return []
    now = now or timezone.now()
    wanted = series.occurrences(after=now, count=count)
    existing = set(
        Assembly.objects.filter(series=series, occurrence__in=[d for d, _s in wanted]).values_list(
            "occurrence", flat=True
        )
    )
    rows = [
        Assembly(
            series=series,
            occurrence=day,
            title=series.title,
            start=start,
            duration_minutes=series.duration_minutes,
            link=series.link,
            place=series.place,
        )
        for day, start in wanted
        if day not in existing
    ]
    # ignore_conflicts: beat and an admin extending at once still make one assembly per day.
    Assembly.objects.bulk_create(rows, ignore_conflicts=True)
    created = sorted(
        Assembly.objects.filter(series=series, occurrence__in=[r.occurrence for r in rows]),
        key=lambda a: a.start,
    )
    for assembly in created:
        _scheduled(assembly)
    return created


def series_extend_all(*, count: int = 3, now: datetime | None = None) -> int:
    return sum(
        len(series_extend(series=s, count=count, now=now))
        for s in AssemblySeries.objects.filter(active=True)
    )


# Circle updates and the agenda ------------------------------------------------------------------
UPDATE_FIELDS = ("done", "next", "needs", "decisions_wanted")


@transaction.atomic
def circle_update_save(
    *, actor: AnyUser, assembly: Assembly, circle: Circle, data: dict[str, Any]
) -> CircleUpdate:
    """Post or edit a circle's update for an assembly (its coordinators)."""
    if not permissions.can_post_update(actor, assembly, circle):
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k in UPDATE_FIELDS}
    if not any((data.get(k) or "").strip() for k in UPDATE_FIELDS):
        raise ValidationError(_("Write at least one part of the update."))
    update = (
        CircleUpdate.objects.select_for_update().filter(assembly=assembly, circle=circle).first()
    )
    if update is None:
        update = CircleUpdate(assembly=assembly, circle=circle, author=person_of(actor), **data)
        update.full_clean()
        update.save()
        audit_record(actor=actor, action="assembly.circle_update", target=update)
        return update
    changes = _changed(update, data)
    for name, (_before, after) in changes.items():
        setattr(update, name, after)
    if changes:
        update.full_clean()
        update.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="assembly.circle_update",
            target=update,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return update


@transaction.atomic
def agenda_item_propose(
    *,
    actor: AnyUser,
    assembly: Assembly,
    title: str,
    kind: str = AgendaItem.Kind.DISCUSSION,
    description: str = "",
    time_box_minutes: int = 10,
) -> AgendaItem:
    """A member puts an item forward; it joins the end of the agenda."""
    if not permissions.can_propose(actor, assembly):
        raise PermissionDenied
    if kind == AgendaItem.Kind.CIRCLE_UPDATE:
        raise ValidationError({"kind": _("Circle updates come from the circles themselves.")})
    item = AgendaItem(
        assembly=assembly,
        kind=kind,
        title=title,
        description=description,
        proposer=person_of(actor),
        time_box_minutes=time_box_minutes,
        order=_next_order(assembly),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="assembly.agenda_propose",
        target=item,
        after={"title": title, "kind": kind},
    )
    return item


def _next_order(assembly: Assembly) -> int:
    top = AgendaItem.objects.filter(assembly=assembly).aggregate(top=Max("order"))["top"]
    return (top or 0) + 10


AGENDA_ITEM_FIELDS = ("title", "kind", "description", "time_box_minutes", "order")


@transaction.atomic
def agenda_item_update(*, actor: AnyUser, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    _require(actor, item.assembly, permissions.can_edit_agenda)
    unknown = set(data) - set(AGENDA_ITEM_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = _changed(item, data)
    for name, (_before, after) in changes.items():
        setattr(item, name, after)
    if changes:
        item.full_clean()
        item.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="assembly.agenda_update",
            target=item,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return item


@transaction.atomic
def agenda_item_move(*, actor: AnyUser, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour above or below; orders are renumbered 10, 20, …"""
    _require(actor, item.assembly, permissions.can_edit_agenda)
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(assembly_id=item.assembly_id)
        .order_by("order", "id")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    now = timezone.now()
    for position, other in enumerate(items, start=1):
        if other.order != position * 10:
            other.order, other.updated_at = position * 10, now
            changed.append(other)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["order", "updated_at"])
        audit_record(
            actor=actor,
            action="assembly.agenda_move",
            target=item,
            after={"order": [other.pk for other in items]},
        )


@transaction.atomic
def agenda_item_remove(*, actor: AnyUser, item: AgendaItem) -> None:
    _require(actor, item.assembly, permissions.can_edit_agenda)
    audit_record(actor=actor, action="assembly.agenda_remove", target=item)
    item.delete()


def _site_language_text(message: str, **values: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % values


@transaction.atomic
def agenda_build(*, actor: AnyUser, assembly: Assembly) -> int:
    """Add what belongs on the agenda and is not on it yet: each circle update, each decision a
    circle asks for, and the items registered sources put forward. Member proposals are already
    items. Idempotent (one item per source key); returns how many items were added."""
    _require(actor, assembly, permissions.can_edit_agenda)
    order = _next_order(assembly)
    rows: list[AgendaItem] = []

    def add(key: str, **fields: Any) -> None:
        nonlocal order
        rows.append(AgendaItem(assembly=assembly, source_key=key[:120], order=order, **fields))
        order += 10

    for update in assembly.updates.select_related("circle", "author").order_by("circle__name"):
        add(
            f"circle-update:{update.circle_id}",
            kind=AgendaItem.Kind.CIRCLE_UPDATE,
            # Stored, and read by everyone: in the site's language, not the builder's.
            title=_site_language_text(
                gettext_noop("Update from %(circle)s"), circle=update.circle.name
            ),
            proposer=update.author,
            time_box_minutes=5,
        )
        for n, line in enumerate(update.decision_lines(), start=1):
            add(
                f"decision-wanted:{update.circle_id}:{n}",
                kind=AgendaItem.Kind.DECISION,
                title=line[:200],
                description=line,
                proposer=update.author,
                time_box_minutes=15,
            )
    for name, source in agenda_sources().items():
        for proposal in source(assembly):
            add(
                f"{name}:{proposal.key}",
                kind=proposal.kind,
                title=proposal.title[:200],
                description=proposal.description,
                proposer_id=proposal.proposer_id,
                time_box_minutes=proposal.time_box_minutes,
            )
    before = AgendaItem.objects.filter(assembly=assembly).count()
    AgendaItem.objects.bulk_create(rows, ignore_conflicts=True)
    added = AgendaItem.objects.filter(assembly=assembly).count() - before
    if added:
        audit_record(
            actor=actor, action="assembly.agenda_build", target=assembly, after={"added": added}
        )
    return added


@transaction.atomic
def agenda_publish(*, actor: AnyUser, assembly: Assembly) -> Assembly:
    """Publish the agenda: members get their invitation (through the reminder claims)."""
    from assemblies.tasks import dispatch_reminders

    _require(actor, assembly, permissions.can_edit_agenda)
    if assembly.agenda_published_at is None:
        assembly.agenda_published_at = timezone.now()
        assembly.save(update_fields=["agenda_published_at", "updated_at"])
        audit_record(actor=actor, action="assembly.agenda_publish", target=assembly)
        outbox.enqueue(dispatch_reminders)
    return assembly


# RSVP, attendance, minutes, outcomes ------------------------------------------------------------
@transaction.atomic
def rsvp_set(*, actor: AnyUser, assembly: Assembly, answer: str) -> Rsvp:
    if not permissions.can_rsvp(actor, assembly):
        raise PermissionDenied
    if answer not in Rsvp.Answer.values:
        raise ValidationError({"answer": _("Choose going, maybe or not going.")})
    rsvp, _created = Rsvp.objects.update_or_create(
        assembly=assembly, person=_actor_person(actor), defaults={"answer": answer}
    )
    return rsvp


def _check_on_roster(assembly: Assembly, ids: set[int]) -> None:
    from assemblies.selectors import roster

    off = ids - set(roster(assembly).filter(pk__in=ids).values_list("pk", flat=True))
    if off:
        raise ValidationError(
            {"people": _("Only active members of the network are on the roster.")},
            code="not_on_roster",
        )


@transaction.atomic
def attendance_set(*, actor: AnyUser, assembly: Assembly, people: list[Person]) -> int:
    """Make the attendance list exactly `people` (active members, the roster the quorum
    counts). Only while the assembly is open. Returns how many are present."""
    _require(actor, assembly, permissions.can_record_meeting, meeting=True)
    wanted = {p.pk for p in people}
    _check_on_roster(assembly, wanted)
    before = set(assembly.attendances.values_list("person_id", flat=True))
    Attendance.objects.filter(assembly=assembly).exclude(person_id__in=wanted).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(assembly=assembly, person_id=pk, recorded_by=person_of(actor))
            for pk in wanted - before
        ],
        ignore_conflicts=True,
    )
    if before != wanted:
        audit_record(
            actor=actor,
            action="assembly.attendance",
            target=assembly,
            before={"present": sorted(before)},
            after={"present": sorted(wanted)},
        )
    return len(wanted)


@transaction.atomic
def attendance_mark(*, actor: AnyUser, assembly: Assembly, person: Person, present: bool) -> bool:
    """Mark one person of the roster present (or not) while the assembly is open. Returns
    whether anything changed."""
    _require(actor, assembly, permissions.can_record_meeting, meeting=True)
    _check_on_roster(assembly, {person.pk})
    if present:
        _row, changed = Attendance.objects.get_or_create(
            assembly=assembly, person=person, defaults={"recorded_by": person_of(actor)}
        )
    else:
        changed = Attendance.objects.filter(assembly=assembly, person=person).delete()[0] > 0
    if changed:
        audit_record(
            actor=actor,
            action="assembly.attendance",
            target=assembly,
            after={"person": person.pk, "present": present},
        )
    return changed


@transaction.atomic
def current_item_set(*, actor: AnyUser, assembly: Assembly, item: AgendaItem | None) -> Assembly:
    """The facilitator moves the meeting to another agenda item."""
    _require(actor, assembly, permissions.can_record)
    if item is not None and item.assembly_id != assembly.pk:
        raise ValidationError({"item": _("This item is on another assembly's agenda.")})
    assembly.current_item = item
    assembly.save(update_fields=["current_item", "updated_at"])
    return assembly


@transaction.atomic
def minutes_save(*, actor: AnyUser, item: AgendaItem, minutes: str) -> AgendaItem:
    """Write an item's minutes, until the assembly closes (then they are corrected instead)."""
    _require(actor, item.assembly, permissions.can_record)
    before = item.minutes
    if before != minutes:
        item.minutes = minutes
        item.full_clean()
        item.save(update_fields=["minutes", "updated_at"])
        audit_record(
            actor=actor,
            action="assembly.minutes",
            target=item,
            before={"minutes": before},
            after={"minutes": minutes},
        )
    return item


# What is recorded about a decision besides its assembly (decision_record's other keywords); who
# was present and the quorum needed are the service's to work out.
DECISION_FIELDS = (
    "agenda_item",
    "text",
    "method",
    "outcome",
    "votes_for",
    "votes_against",
    "abstentions",
    "objections",
    "without_quorum",
)


@transaction.atomic
def decision_record(
    *,
    actor: AnyUser,
    assembly: Assembly,
    text: str,
    method: str,
    outcome: str,
    agenda_item: AgendaItem | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    objections: str = "",
    without_quorum: bool = False,
) -> Decision:
    """Record a decision of the open assembly. Without quorum it is refused, unless the
    facilitator records it explicitly as taken without quorum; the decision keeps the count
    (present, needed) it was taken with."""
    from assemblies.selectors import quorum

    _require(actor, assembly, permissions.can_record_meeting, meeting=True)
    count = quorum(assembly)
    if not count.reached:
        if not without_quorum:
            raise ValidationError(
                {
                    "without_quorum": _(
                        "Quorum is not reached: %(present)d present of %(needed)d needed. Mark "
                        "more people present, or record the decision as taken without quorum."
                    )
                    % {"present": count.present, "needed": count.needed}
                },
                code="no_quorum",
            )
        if not permissions.can_decide_without_quorum(actor, assembly):
            raise PermissionDenied(_("Only the facilitator records a decision without quorum."))
    if agenda_item is not None and agenda_item.assembly_id != assembly.pk:
        raise ValidationError({"agenda_item": _("This item is on another assembly's agenda.")})
    if method == Decision.Method.VOTE and (votes_for is None or votes_against is None):
        raise ValidationError({"votes_for": _("A vote needs its tally: for and against.")})
    decision = Decision(
        assembly=assembly,
        agenda_item=agenda_item,
        text=text,
        method=method,
        outcome=outcome,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        objections=objections,
        recorded_by=person_of(actor),
        without_quorum=not count.reached,
        present_count=count.present,
        quorum_needed=count.needed,
        delegated_count=count.delegated,
    )
    decision.full_clean()
    decision.save()
    _delegations_used(actor, assembly, decision, count.delegation_ids)
    audit_record(
        actor=actor,
        action="assembly.decision",
        target=decision,
        after={
            "outcome": outcome,
            "method": method,
            "without_quorum": decision.without_quorum,
            "present": count.present,
            "delegated": count.delegated,
            "needed": count.needed,
        },
    )
    for listener in decision_listeners():
        listener(decision)
    events.emit(DECISION_RECORDED, decision)
    return decision


@transaction.atomic
def action_item_create(
    *,
    actor: AnyUser,
    assembly: Assembly,
    description: str,
    owner: Person,
    due_date: date | None = None,
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    _require(actor, assembly, permissions.can_record)
    if agenda_item is not None and agenda_item.assembly_id != assembly.pk:
        raise ValidationError({"agenda_item": _("This item is on another assembly's agenda.")})
    action = ActionItem(
        assembly=assembly,
        agenda_item=agenda_item,
        description=description,
        owner=owner,
        due_date=due_date,
    )
    action.full_clean()
    action.save()
    audit_record(actor=actor, action="assembly.action", target=action, after={"owner": owner.pk})
    return action


@transaction.atomic
def action_item_update(*, actor: AnyUser, action: ActionItem, data: dict[str, Any]) -> ActionItem:
    if not permissions.can_update_action(actor, action):
        raise PermissionDenied
    # Ticking an action off goes on after the assembly closes; rewriting it is a correction.
    allowed = (
        {"status"}
        if not permissions.can_record(actor, action.assembly)
        else {
            "status",
            "description",
            "due_date",
            "owner",
        }
    )
    unknown = set(data) - allowed
    if unknown:
        raise PermissionDenied(_("You may only change the status of your action."))
    changes = _changed(action, data)
    for name, (_before, after) in changes.items():
        setattr(action, name, after)
    if changes:
        action.full_clean()
        action.save(update_fields=[*changes, "updated_at"])
    return action


# Corrections to a closed assembly ---------------------------------------------------------------
def _correction_save(
    actor: AnyUser,
    assembly: Assembly,
    *,
    text: str,
    reason: str,
    agenda_item: AgendaItem | None,
    decision: Decision | None,
    **extra: Any,
) -> Correction:
    """A correction noted beside the record, or suggested to the draft minutes: about this
    assembly's items and decisions only, written by the actor."""
    if agenda_item is not None and agenda_item.assembly_id != assembly.pk:
        raise ValidationError({"agenda_item": _("This item is on another assembly's agenda.")})
    if decision is not None and decision.assembly_id != assembly.pk:
        raise ValidationError({"decision": _("This decision belongs to another assembly.")})
    correction = Correction(
        assembly=assembly,
        agenda_item=agenda_item,
        decision=decision,
        text=text.strip(),
        reason=reason.strip(),
        author=person_of(actor),
        **extra,
    )
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def correction_add(
    *,
    actor: AnyUser,
    assembly: Assembly,
    text: str,
    reason: str,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
) -> Correction:
    """Correct the record of a closed assembly: the record stays as closed, the correction is
    shown beside it with its author, time and reason. The author is always the actor."""
    if not permissions.can_correct(actor, assembly):
        if assembly.status != Assembly.Status.CLOSED and permissions.can_record(actor, assembly):
            raise ValidationError(
                _("The assembly is not closed yet: edit its record directly."), code="not_closed"
            )
        raise PermissionDenied
    correction = _correction_save(
        actor, assembly, agenda_item=agenda_item, decision=decision, text=text, reason=reason
    )
    audit_record(
        actor=actor,
        action="assembly.correction",
        target=correction,
        after={
            "assembly": assembly.pk,
            "agenda_item": getattr(agenda_item, "pk", None),
            "decision": getattr(decision, "pk", None),
            "text": correction.text,
            "reason": correction.reason,
        },
    )
    return correction


def _delegations_used(
    actor: AnyUser, assembly: Assembly, decision: Decision, ids: tuple[int, ...]
) -> None:
    """The delegations a decision counted: each is audited as used, and from its first use it can
    no longer be revoked."""
    if not ids:
        return
    VoteDelegation.objects.filter(pk__in=ids, used_at__isnull=True).update(used_at=timezone.now())
    audit_record(
        actor=actor,
        action="assembly.delegation_use",
        target=decision,
        after={"assembly": assembly.pk, "delegations": sorted(ids)},
    )


# Delegated votes --------------------------------------------------------------------------------
def _lock_assembly(assembly: Assembly) -> None:
    """Every delegation write of one assembly takes its row lock, so two people delegating to
    the same person at once cannot both pass the limit."""
    assembly.status = (
        Assembly.objects.select_for_update().values_list("status", flat=True).get(pk=assembly.pk)
    )


def _standing(assembly: Assembly, person: Person) -> delegation.Standing:
    live = VoteDelegation.objects.filter(assembly=assembly, revoked_at__isnull=True)
    return delegation.Standing(
        has_delegated=live.filter(delegator=person).exists(),
        carries=live.filter(delegate=person).count(),
    )


@transaction.atomic
def delegate_vote(*, actor: AnyUser, assembly: Assembly, delegate: Person) -> VoteDelegation:
    """The actor, who cannot attend, gives their vote in this assembly to `delegate`, who will
    carry it. The rules are `assemblies.delegation.refusal`; both must be active members (the
    roster quorum counts). A poll reuses the same rules with its own rows."""
    from assemblies.selectors import roster

    _lock_assembly(assembly)
    if not permissions.can_delegate(actor, assembly):
        if person_of(actor) is not None:
            raise ValidationError(
                _("Votes can be delegated only until the assembly is over."), code="over"
            )
        raise PermissionDenied
    person = _actor_person(actor)
    on_roster = set(
        roster(assembly).filter(pk__in=[person.pk, delegate.pk]).values_list("pk", flat=True)
    )
    if person.pk not in on_roster:
        raise ValidationError(
            _("Only active members vote in the assembly, so only they delegate a vote."),
            code="not_active",
        )
    if delegate.pk not in on_roster and delegate.pk != person.pk:
        raise ValidationError(
            {"delegate": _("Choose an active member of the network: only they vote.")},
            code="delegate_not_active",
        )
    refused = delegation.refusal(
        delegator_id=person.pk,
        delegate_id=delegate.pk,
        delegator=_standing(assembly, person),
        delegate=_standing(assembly, delegate),
        limit=ReminderSettings.load().delegations_per_person,
    )
    if refused is not None:
        raise ValidationError({"delegate": ValidationError(refused.message, code=refused.code)})
    given = VoteDelegation.objects.create(assembly=assembly, delegator=person, delegate=delegate)
    audit_record(
        actor=actor,
        action="assembly.delegation",
        target=given,
        after={"assembly": assembly.pk, "delegator": person.pk, "delegate": delegate.pk},
    )
    return given


@transaction.atomic
def delegation_revoke(*, actor: AnyUser, assembly: Assembly) -> VoteDelegation:
    """The delegator takes their vote back, until it is first used in a decision."""
    _lock_assembly(assembly)
    if not permissions.can_delegate(actor, assembly):
        raise PermissionDenied
    person = _actor_person(actor)
    given = (
        VoteDelegation.objects.select_for_update()
        .filter(assembly=assembly, delegator=person, revoked_at__isnull=True)
        .first()
    )
    if given is None:
        raise ValidationError(_("You have not delegated your vote in this assembly."), code="none")
    if given.used_at is not None:
        raise ValidationError(
            _("Your delegate has already voted with it: a delegation used in a vote stays."),
            code="used",
        )
    given.revoked_at = timezone.now()
    given.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="assembly.delegation_revoke",
        target=given,
        before={"delegate": given.delegate_id},
        after={"revoked_at": given.revoked_at.isoformat()},
    )
    return given


# Minutes approved by those present --------------------------------------------------------------
class MinutesFrozen(RecordFrozen):
    """The minutes are approved: nothing about them changes any more (409 in the API)."""


def _minutes_frozen() -> MinutesFrozen:
    return MinutesFrozen(
        _("These minutes are approved: they are frozen. Add a correction beside the record."),
        code="approved",
    )


def _locked_minutes(assembly: Assembly) -> Minutes | None:
    return Minutes.objects.select_for_update().filter(assembly=assembly).first()


def window_days(assembly: Assembly) -> int:
    from assemblies.models import DEFAULT_CORRECTION_WINDOW_DAYS

    series = assembly.series
    return series.correction_window_days if series else DEFAULT_CORRECTION_WINDOW_DAYS


@transaction.atomic
def minutes_publish(*, actor: AnyUser, assembly: Assembly, text: str) -> Minutes:
    """The note-taker publishes the draft minutes of the closed assembly. Those present are told
    by email and may suggest corrections for the series's window (7 days unless set)."""
    _lock_assembly(assembly)
    if not permissions.can_publish_minutes(actor, assembly):
        if assembly.status != Assembly.Status.CLOSED and permissions.can_record(actor, assembly):
            raise ValidationError(
                _("Close the assembly first: its minutes are published after the meeting."),
                code="not_closed",
            )
        raise PermissionDenied
    existing = _locked_minutes(assembly)
    if existing is not None:
        if existing.is_approved:
            raise _minutes_frozen()
        raise ValidationError(
            _("The draft minutes are published already: they change through suggestions."),
            code="published",
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the minutes before publishing them.")})
    now = timezone.now()
    minutes = Minutes(
        assembly=assembly,
        text=text,
        published_by=person_of(actor),
        published_at=now,
        window_closes_at=now + timedelta(days=window_days(assembly)),
    )
    minutes.full_clean()
    minutes.save()
    MinutesRevision.objects.create(minutes=minutes, text=text, author=person_of(actor))
    audit_record(
        actor=actor,
        action="assembly.minutes_publish",
        target=minutes,
        after={"assembly": assembly.pk, "window_closes_at": minutes.window_closes_at.isoformat()},
    )
    from assemblies.tasks import send_draft_notices

    outbox.enqueue(send_draft_notices, assembly.pk)
    return minutes


@transaction.atomic
def correction_suggest(
    *,
    actor: AnyUser,
    assembly: Assembly,
    text: str,
    reason: str,
    original: str = "",
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
) -> Correction:
    """Someone who was present suggests a correction to the draft minutes, while it is open."""
    _lock_assembly(assembly)
    minutes = _locked_minutes(assembly)
    if minutes is not None and minutes.is_approved:
        raise _minutes_frozen()
    if not permissions.can_suggest_correction(actor, assembly, minutes):
        if (
            minutes is not None
            and person_of(actor) is not None
            and not minutes.window_open(timezone.now())
        ):
            raise ValidationError(
                _("The time to suggest corrections is over."), code="window_closed"
            )
        raise PermissionDenied
    original = original.strip()
    if original and original not in minutes.text:  # type: ignore[union-attr]
        raise ValidationError(
            {"original": _("These words are not in the draft. Copy them from it as they are.")}
        )
    correction = _correction_save(
        actor,
        assembly,
        status=Correction.Status.SUGGESTED,
        original=original,
        text=text,
        reason=reason,
        agenda_item=agenda_item,
        decision=decision,
    )
    audit_record(
        actor=actor,
        action="assembly.correction_suggest",
        target=correction,
        after={"assembly": assembly.pk, "original": original, "text": correction.text},
    )
    return correction


def applied(draft: str, correction: Correction) -> str:
    """The draft with an accepted correction in it: its text replaces the words it names (the
    first time they occur), or is added at the end when it names none."""
    if correction.original:
        return draft.replace(correction.original, correction.text, 1)
    return f"{draft.rstrip()}\n\n{correction.text}"


@transaction.atomic
def correction_decide(
    *, actor: AnyUser, correction: Correction, accept: bool, note: str = ""
) -> Correction:
    """The facilitator accepts a suggestion (it is applied to the draft, as a new revision) or
    rejects it. The suggester is told either way."""
    assembly = correction.assembly
    _lock_assembly(assembly)
    minutes = _locked_minutes(assembly)
    if minutes is not None and minutes.is_approved:
        raise _minutes_frozen()
    if not permissions.can_decide_corrections(actor, assembly, minutes):
        raise PermissionDenied
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.status != Correction.Status.SUGGESTED:
        raise ValidationError(_("This suggestion is decided already."), code="decided")
    assert minutes is not None  # can_decide_corrections needs them
    if accept:
        if correction.original and correction.original not in minutes.text:
            raise ValidationError(
                _(
                    "The words this suggestion changes are no longer in the draft (another "
                    "correction changed them). Reject it, and ask for a new one."
                ),
                code="original_gone",
            )
        minutes.text = applied(minutes.text, correction)
        minutes.save(update_fields=["text", "updated_at"])
        MinutesRevision.objects.create(
            minutes=minutes, text=minutes.text, correction=correction, author=person_of(actor)
        )
    correction.status = Correction.Status.ACCEPTED if accept else Correction.Status.REJECTED
    correction.decided_by = person_of(actor)
    correction.decided_at = timezone.now()
    correction.decision_note = note.strip()
    correction.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="assembly.correction_decide",
        target=correction,
        before={"status": Correction.Status.SUGGESTED},
        after={"status": correction.status, "note": correction.decision_note},
    )
    from assemblies.tasks import send_correction_notice

    outbox.enqueue(send_correction_notice, correction.pk)
    return correction


def _approve(minutes: Minutes, *, actor: AnyUser | None, now: datetime) -> bool:
    """Claim the approval with one conditional UPDATE (whoever sets `approved_at` approves);
    suggestions still waiting lapse and their authors are told. Returns whether this call
    approved."""
    claimed = Minutes.objects.filter(pk=minutes.pk, approved_at__isnull=True).update(
        approved_at=now, approved_by=person_of(actor) if actor else None, updated_at=now
    )
    if claimed != 1:
        return False
    lapsed = list(
        Correction.objects.filter(
            assembly_id=minutes.assembly_id, status=Correction.Status.SUGGESTED
        ).values_list("pk", flat=True)
    )
    Correction.objects.filter(pk__in=lapsed).update(
        status=Correction.Status.LAPSED, decided_at=now, updated_at=now
    )
    minutes.refresh_from_db()
    audit_record(
        actor=actor,
        action="assembly.minutes_approve",
        target=minutes,
        after={
            "assembly": minutes.assembly_id,
            "by": "facilitator" if actor else "window",
            "lapsed": lapsed,
        },
    )
    from assemblies.tasks import send_correction_notice

    for pk in lapsed:
        outbox.enqueue(send_correction_notice, pk)
    return True


@transaction.atomic
def minutes_approve(*, actor: AnyUser, assembly: Assembly) -> Minutes:
    """The facilitator approves the minutes once every suggestion is decided; they freeze."""
    minutes = _locked_minutes(assembly)
    if minutes is not None and minutes.is_approved:
        raise _minutes_frozen()
    if not permissions.can_decide_corrections(actor, assembly, minutes):
        raise PermissionDenied
    assert minutes is not None
    if assembly.corrections.filter(status=Correction.Status.SUGGESTED).exists():
        raise ValidationError(
            _("Accept or reject every suggestion first, or wait for the time to end."),
            code="undecided",
        )
    _approve(minutes, actor=actor, now=timezone.now())
    minutes.refresh_from_db()
    return minutes


def minutes_approve_due(*, now: datetime | None = None) -> list[int]:
    """Beat: approve the minutes whose correction time is over. Each is claimed by a conditional
    UPDATE, so two runs at once approve it once. Returns the ids this run approved."""
    now = now or timezone.now()
    done = []
    for minutes in Minutes.objects.filter(approved_at__isnull=True, window_closes_at__lte=now):
        with transaction.atomic():
            if _approve(minutes, actor=None, now=now):
                done.append(minutes.pk)
    return done


# Rotation ---------------------------------------------------------------------------------------
@transaction.atomic
def series_volunteer_set(*, actor: AnyUser, series: AssemblySeries, volunteering: bool) -> bool:
    """Opt in (or out) of facilitating and taking notes in a series. Returns whether it changed."""
    if not permissions.can_volunteer(actor):
        raise PermissionDenied
    person = _actor_person(actor)
    if volunteering:
        _row, changed = SeriesVolunteer.objects.get_or_create(series=series, person=person)
    else:
        changed = SeriesVolunteer.objects.filter(series=series, person=person).delete()[0] > 0
    if changed:
        audit_record(
            actor=actor,
            action="assembly.series_volunteer",
            target=series,
            after={"person": person.pk, "volunteering": volunteering},
        )
    return changed


@transaction.atomic
def rotation_confirm(
    *, actor: AnyUser, assembly: Assembly, facilitator: Person, note_taker: Person
) -> Assembly:
    """An admin confirms who facilitates and who takes notes: the suggestion, or others."""
    _lock_assembly(assembly)
    if not permissions.can_confirm_rotation(actor, assembly):
        if permissions.can_schedule(actor):
            raise ValidationError(
                _("Roles are confirmed while the assembly is planned."), code="not_planned"
            )
        raise PermissionDenied
    if facilitator.pk == note_taker.pk:
        raise ValidationError(
            {"note_taker": _("One person cannot facilitate and take notes at once.")},
            code="same_person",
        )
    before = {"facilitator": assembly.facilitator_id, "note_taker": assembly.note_taker_id}
    assembly.facilitator, assembly.note_taker = facilitator, note_taker
    assembly.save(update_fields=["facilitator", "note_taker", "updated_at"])
    audit_record(
        actor=actor,
        action="assembly.rotation_confirm",
        target=assembly,
        before=before,
        after={"facilitator": facilitator.pk, "note_taker": note_taker.pk},
    )
    return assembly


# Calendar feed tokens ---------------------------------------------------------------------------
@transaction.atomic
def calendar_token_create(*, actor: AnyUser) -> str:
    """A new secret feed URL for the actor; earlier ones are revoked. The secret is shown once."""
    person = _actor_person(actor)
    CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    secret = CalendarFeedToken.new_secret()
    token = CalendarFeedToken.objects.create(
        person=person, digest=CalendarFeedToken.digest_of(secret)
    )
    audit_record(actor=actor, action="assembly.feed_token", target=token)
    return secret


@transaction.atomic
def calendar_token_revoke(*, actor: AnyUser) -> int:
    person = _actor_person(actor)
    return CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# Reminders --------------------------------------------------------------------------------------
def _recipients(assembly: Assembly) -> QuerySet[Person]:
    """People with an active account who have not said they are not going."""
    declined = Rsvp.objects.filter(assembly=assembly, answer=Rsvp.Answer.NOT_GOING)
    return Person.objects.filter(user__is_active=True).exclude(pk__in=declined.values("person_id"))


def _claim(assembly: Assembly, kind: str, people: QuerySet[Person], now: datetime) -> list[int]:
    """INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING id: the rows this run claimed, and only
    those, are sent; a row someone else claimed already is left alone."""
    already = ReminderDelivery.objects.filter(assembly=assembly, kind=kind).values("person_id")
    select = (
        # Leaving out who has the claim already is cheaper than letting each row conflict; the
        # ON CONFLICT clause still settles a race between two runs. NOT IN, not NOT EXISTS:
        # PostgreSQL hashes the subquery whatever its row estimate, which is stale right after
        # a big claim (a nested loop there took seconds at 10k people).
        people.exclude(pk__in=already)
        .order_by()
        .annotate(
            c_assembly=Value(assembly.pk),
            c_person=F("pk"),
            c_kind=Value(kind),
            c_queued=Value(now, output_field=DateTimeField()),
        )
        .values_list("c_assembly", "c_person", "c_kind", "c_queued")
        .distinct()
    )
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(ReminderDelivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assembly_id, person_id, kind, queued_at) {sql} "
            "ON CONFLICT DO NOTHING RETURNING id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def day_before_due(start: datetime, zone: str, hour: int) -> datetime:
    """hour:00 on the day before the assembly, in that zone (the day as the person sees it)."""
    tz = ZoneInfo(zone)
    local_day = start.astimezone(tz).date() - timedelta(days=1)
    return datetime(local_day.year, local_day.month, local_day.day, hour, tzinfo=tz)


@transaction.atomic
def reminders_dispatch(*, now: datetime | None = None) -> list[int]:
    """Claim every reminder that is due now, and return the ids to send: those just claimed plus
    claims whose sending never started (their worker died before it got to them)."""
    now = now or timezone.now()
    config = ReminderSettings.load()
    horizon = now + timedelta(days=max(2, config.update_reminder_days + 1))
    assemblies = Assembly.objects.filter(status=Assembly.Status.PLANNED, start__gt=now).filter(
        Q(start__lte=horizon) | Q(agenda_published_at__lte=now)
    )
    zones = None
    claimed: list[int] = []
    for assembly in assemblies:
        people = _recipients(assembly)
        if assembly.agenda_published_at and assembly.agenda_published_at <= now:
            claimed += _claim(assembly, ReminderDelivery.Kind.INVITATION, people, now)
        if assembly.start > horizon:
            continue
        last_call = assembly.start - timedelta(minutes=config.hour_before_minutes)
        if now < last_call:
            if zones is None:
                zones = sorted(
                    set(Person.objects.order_by().values_list("timezone", flat=True).distinct())
                )
            due = [
                z for z in zones if day_before_due(assembly.start, z, config.day_before_hour) <= now
            ]
            if due:
                claimed += _claim(
                    assembly, ReminderDelivery.Kind.DAY_BEFORE, people.filter(timezone__in=due), now
                )
        else:
            claimed += _claim(assembly, ReminderDelivery.Kind.HOUR_BEFORE, people, now)
        if now >= assembly.start - timedelta(days=config.update_reminder_days):
            coordinators = Person.objects.filter(user__is_active=True).filter(
                Exists(
                    CircleMembership.objects.current()
                    .filter(
                        person=OuterRef("pk"),
                        role=CircleMembership.Role.COORDINATOR,
                        circle__status=Circle.Status.ACTIVE,
                    )
                    .exclude(
                        Exists(
                            CircleUpdate.objects.filter(
                                assembly=assembly, circle=OuterRef("circle")
                            )
                        )
                    )
                )
            )
            claimed += _claim(assembly, ReminderDelivery.Kind.UPDATE_MISSING, coordinators, now)
    # Claims queued long ago and never taken lost their task message: queue them again.
    lost = delivery.stale(
        REMINDERS, now=now, after=requeue_after(), where=Q(assembly__start__gt=now)
    )
    fresh = set(claimed)
    return claimed + [pk for pk in lost if pk not in fresh]
