"""Every write of polls: named verbs, keyword-only arguments, atomic and audited.

Votes on an anonymous poll write no audit event: the event would say who voted when, and with
the ballot's own change that is enough to tell whose it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies import delegation
from assemblies.models import ReminderSettings
from audit.services import audit_record
from members.models import Person
from members.permissions import person_of
from polls import counting, permissions
from polls.models import Ballot, Outcome, Poll, PollDelegation, PollOption
from polls.selectors import eligible_voters, voter_key

if TYPE_CHECKING:
    from datetime import date

    from accounts.models import AnyUser
    from assemblies.models import Assembly
    from circles.models import Circle

MAX_OPTIONS = 40


class PollClosed(ValidationError):
    """A write that needs an open poll (the API answers 409)."""


def _errors() -> dict[str, str]:
    return {
        "unknown_option": _("Choose among the poll's options."),
        "out_of_range": _("A value is outside what this poll allows."),
        "too_many_dots": _("You spread more dots than you have."),
        "block_needs_reason": _("A block needs a reason."),
        "ranked_twice": _("Rank each option only once."),
        "invalid": _("This answer does not fit the poll."),
    }


@transaction.atomic
def poll_create(
    *,
    actor: AnyUser,
    title: str,
    kind: str,
    closes_at: datetime,
    options: list[str] | None = None,
    slots: list[datetime] | None = None,
    slot_minutes: int = 90,
    description: str = "",
    circle: Circle | None = None,
    electorate: str = Poll.Electorate.ALL,
    anonymous: bool = False,
    results_hidden: bool = False,
    quorum: int = 0,
    max_score: int = 5,
    dots: int = 10,
    remind_hours_before: int | None = None,
    now: datetime | None = None,
) -> Poll:
    """Open a poll. Options for every kind but proposals (which have fixed positions) and time
    polls (which take `slots`, aware datetimes, stored in UTC). A discussion that carries a
    poll calls this with its own title and circle."""
    person = person_of(actor)
    if person is None or not permissions.can_create_poll(actor, circle):
        raise PermissionDenied
    now = now or timezone.now()
    if timezone.is_naive(closes_at):
        raise ValidationError({"closes_at": _("The closing time needs a timezone.")})
    if closes_at <= now:
        raise ValidationError({"closes_at": _("The closing time must be in the future.")})
    poll = Poll(
        title=title,
        description=description,
        kind=kind,
        circle=circle,
        author=person,
        electorate=electorate,
        closes_at=closes_at,
        anonymous=anonymous,
        results_hidden=results_hidden,
        quorum=quorum,
        max_score=max_score,
        dots=dots,
        remind_hours_before=remind_hours_before,
    )
    poll.full_clean()
    labels = [o.strip() for o in options or [] if o.strip()]
    if kind == Poll.Kind.TIME:
        if not slots:
            raise ValidationError({"slots": _("Give at least one time slot.")})
        if any(timezone.is_naive(s) for s in slots):
            raise ValidationError({"slots": _("Each slot needs a timezone.")})
        if len(set(slots)) != len(slots) or len(slots) > MAX_OPTIONS:
            raise ValidationError({"slots": _("Give each slot once, at most 40.")})
    elif kind != Poll.Kind.PROPOSAL:
        if len(labels) < 2 or len(labels) > MAX_OPTIONS:
            raise ValidationError({"options": _("Give between 2 and 40 options.")})
        if len({label.casefold() for label in labels}) != len(labels):
            raise ValidationError({"options": _("Give each option once.")})
    poll.save()
    if kind == Poll.Kind.TIME:
        PollOption.objects.bulk_create(
            PollOption(poll=poll, position=i, starts_at=s, duration_minutes=slot_minutes)
            for i, s in enumerate(sorted(slots or []))
        )
    elif kind != Poll.Kind.PROPOSAL:
        PollOption.objects.bulk_create(
            PollOption(poll=poll, position=i, label=label) for i, label in enumerate(labels)
        )
    audit_record(
        actor=actor,
        action="poll.create",
        target=poll,
        after={"title": title, "kind": kind, "closes_at": closes_at.isoformat()},
    )
    return poll


@transaction.atomic
def vote_cast(*, actor: AnyUser, poll: Poll, answer: dict[str, Any]) -> Ballot:
    """Cast or change one's vote while the poll is open."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.is_closed():
        raise PollClosed(_("This poll is closed."))
    if not permissions.can_vote(actor, poll):
        raise PermissionDenied
    person = person_of(actor)
    assert person is not None
    ids = list(poll.options.values_list("pk", flat=True))
    try:
        clean = counting.clean_answer(
            poll.kind, answer, option_ids=ids, max_score=poll.max_score, dots=poll.dots
        )
    except counting.InvalidAnswer as error:
        code = str(error)
        raise ValidationError({"answer": _errors().get(code, _errors()["invalid"])}) from None
    if clean.get("reason") and len(clean["reason"]) > 1000:
        raise ValidationError({"answer": _("A reason is at most 1000 characters.")})
    key = voter_key(poll.pk, person.pk)
    ballot, created = Ballot.objects.update_or_create(
        poll=poll,
        voter_key=key,
        defaults={"answer": clean, "voter": None if poll.anonymous else person},
    )
    if not poll.anonymous:
        audit_record(
            actor=actor,
            action="poll.vote" if created else "poll.vote_change",
            target=poll,
            after={"answer": clean},
        )
    return ballot


def _standing(poll: Poll, person: Person) -> delegation.Standing:
    live = PollDelegation.objects.filter(poll=poll, revoked_at__isnull=True)
    return delegation.Standing(
        has_delegated=live.filter(delegator=person).exists(),
        carries=live.filter(delegate=person).count(),
    )


def _open_for_delegation(actor: AnyUser, poll: Poll) -> Person:
    """The poll's row, locked, is open and the actor may delegate in it: their person."""
    if poll.is_closed():
        raise PollClosed(_("This poll is closed."))
    if poll.anonymous:
        raise ValidationError(
            _(
                "Votes in an anonymous poll cannot be delegated: the delegation would show who voted."
            ),
            code="anonymous",
        )
    person = person_of(actor)
    if person is None or not permissions.can_delegate(actor, poll):
        raise PermissionDenied
    return person


@transaction.atomic
def poll_delegate(*, actor: AnyUser, poll: Poll, delegate: Person) -> PollDelegation:
    """The actor gives their vote in this poll to `delegate`, another of its voters, by the
    assemblies' rules (`assemblies.delegation.refusal`). The poll's row lock keeps two people
    from giving their votes to one person past the limit at once."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    person = _open_for_delegation(actor, poll)
    if delegate.pk != person.pk and not (
        eligible_voters(poll).filter(pk=delegate.pk, user__isnull=False).exists()
    ):
        refusal = ValidationError(
            _("Choose someone who may vote in this poll."), code="not_a_voter"
        )
        raise ValidationError({"delegate": refusal})
    refused = delegation.refusal(
        delegator_id=person.pk,
        delegate_id=delegate.pk,
        delegator=_standing(poll, person),
        delegate=_standing(poll, delegate),
        limit=ReminderSettings.load().delegations_per_person,
    )
    if refused is not None:
        raise ValidationError({"delegate": ValidationError(refused.message, code=refused.code)})
    given = PollDelegation.objects.create(poll=poll, delegator=person, delegate=delegate)
    audit_record(
        actor=actor,
        action="poll.delegation",
        target=poll,
        after={"delegator": person.pk, "delegate": delegate.pk},
    )
    return given


@transaction.atomic
def poll_delegation_revoke(*, actor: AnyUser, poll: Poll) -> PollDelegation:
    """The delegator takes their vote back, until the poll closes."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    person = _open_for_delegation(actor, poll)
    given = PollDelegation.objects.filter(
        poll=poll, delegator=person, revoked_at__isnull=True
    ).first()
    if given is None:
        raise ValidationError(_("You have not delegated your vote in this poll."), code="none")
    given.revoked_at = timezone.now()
    given.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="poll.delegation_revoke",
        target=poll,
        before={"delegator": person.pk, "delegate": given.delegate_id},
    )
    return given


@transaction.atomic
def poll_close(*, actor: AnyUser, poll: Poll) -> Poll:
    """The author closes the poll early."""
    if not permissions.can_close(actor, poll):
        if poll.is_closed():
            raise PollClosed(_("This poll is closed."))
        raise PermissionDenied
    now = timezone.now()
    if Poll.objects.filter(pk=poll.pk, closed_at__isnull=True).update(closed_at=now) != 1:
        raise PollClosed(_("This poll is closed."))
    poll.closed_at = now
    audit_record(actor=actor, action="poll.close", target=poll, after={"early": True})
    return poll


def poll_close_claim(*, poll_id: int, now: datetime | None = None) -> bool:
    """Close a poll whose time has come. One conditional UPDATE: of two beats (or a beat and the
    author) one wins, and only the winner records the close."""
    now = now or timezone.now()
    with transaction.atomic():
        won = (
            Poll.objects.filter(pk=poll_id, closed_at__isnull=True, closes_at__lte=now).update(
                closed_at=now
            )
            == 1
        )
        if won:
            audit_record(
                actor=None,
                action="poll.close",
                target=Poll.objects.get(pk=poll_id),
                after={"early": False},
            )
    return won


def polls_close_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Poll.objects.filter(closed_at__isnull=True, closes_at__lte=now)
    return sum(poll_close_claim(poll_id=pk, now=now) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def outcome_record(
    *,
    actor: AnyUser,
    poll: Poll,
    statement: str,
    review_on: date | None = None,
    to_next_assembly: bool = False,
) -> Outcome:
    """Record (or restate) what a closed poll decided; optionally put it on the next planned
    assembly's agenda, through the agenda-source hook (`selectors.agenda_outcomes`)."""
    if not permissions.can_record_outcome(actor, poll):
        if not poll.is_closed():
            raise PollClosed(_("Record the outcome once the poll has closed."))
        raise PermissionDenied
    person = person_of(actor)  # None for a network admin without a person of their own
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Say what the poll decided.")})
    agenda = _next_assembly() if to_next_assembly else None
    if to_next_assembly and agenda is None:
        raise ValidationError({"to_next_assembly": _("No assembly is planned yet.")})
    outcome, _created = Outcome.objects.update_or_create(
        poll=poll,
        defaults={
            "statement": statement,
            "review_on": review_on,
            "recorded_by": person,
            "agenda_assembly": agenda,
        },
    )
    audit_record(
        actor=actor,
        action="poll.outcome",
        target=poll,
        after={
            "statement": statement,
            "review_on": review_on.isoformat() if review_on else None,
            "agenda_assembly": agenda.pk if agenda else None,
        },
    )
    return outcome


def _next_assembly() -> Assembly | None:
    from assemblies.models import Assembly

    return (
        Assembly.objects.filter(status=Assembly.Status.PLANNED, start__gt=timezone.now())
        .order_by("start")
        .first()
    )


@transaction.atomic
def assembly_from_time_poll(*, actor: AnyUser, poll: Poll, title: str = "") -> Assembly:
    """One click: the closed time poll's winning slot becomes an assembly (with its iCal entry,
    served by assemblies), scheduled through `assemblies.services.assembly_schedule`."""
    from assemblies.services import assembly_schedule

    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not permissions.can_schedule_assembly(actor, poll):
        raise PermissionDenied
    answers = Ballot.objects.filter(poll=poll).values_list("answer", flat=True)
    slots = {o.pk: o for o in poll.options.all()}
    winner = counting.count_time(list(slots), answers)["winner"]
    if winner is None:
        raise ValidationError(_("No slot suits anyone yet."))
    slot = slots[winner]
    assert slot.starts_at is not None
    assembly = assembly_schedule(
        actor=actor,
        title=title or poll.title,
        start=slot.starts_at,
        duration_minutes=slot.duration_minutes or 90,
        checked=True,
    )
    Poll.objects.filter(pk=poll.pk).update(assembly=assembly)
    poll.assembly = assembly
    audit_record(actor=actor, action="poll.assembly", target=poll, after={"assembly": assembly.pk})
    return assembly


def reminders_due(*, now: datetime | None = None) -> list[int]:
    """Claim the polls whose reminder time has come (one conditional UPDATE each, so a poll's
    reminder round happens once) and return their ids."""
    now = now or timezone.now()
    claimed = []
    candidates = Poll.objects.filter(
        closed_at__isnull=True,
        closes_at__gt=now,
        remind_hours_before__isnull=False,
        reminder_taken_at__isnull=True,
    ).values_list("pk", "closes_at", "remind_hours_before")
    for pk, closes_at, hours in candidates:
        if closes_at - timedelta(hours=hours or 0) > now:
            continue
        if Poll.objects.filter(pk=pk, reminder_taken_at__isnull=True).update(reminder_taken_at=now):
            claimed.append(pk)
    return claimed
