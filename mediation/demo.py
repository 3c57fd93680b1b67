"""The demo's conflict resolution: a Mediation circle (flagged `handles_conflicts`) with the
demo coordinator among its mediators, and three cases: one the demo member opened, in mediation
with a meeting next week and a note each way; one just received; one that ended in an agreement.
None names a demo account, so each account sees what its role would.

Rows are written directly (no emails go out for the demo's past). Idempotent: once the circle
exists, nothing is added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from circles.models import Circle, CircleMembership
from circles.services import participation_refresh
from mediation.models import Case, CaseEvent, CaseNote
from members.models import Organisation, Person
from patio.dates import network_today

SLUG = "mediation"
MEMBER = "member@patio.example"
COORDINATOR = "coordinator@patio.example"
Role = CircleMembership.Role

# (requester: "member" or an index into the pool, state, days ago, what happened, hoped for)
CASES = (
    (
        "member",
        Case.State.IN_MEDIATION,
        9,
        "In our shared project for the housing co-op, a teammate from another co-op keeps "
        "rewriting my work without telling me, and answered me harshly when I asked why.",
        "A calm conversation with a mediator present, and an agreement on how we review each "
        "other's work.",
    ),
    (
        0,
        Case.State.RECEIVED,
        1,
        "Two of us disagree about who owns the client relationship we built together, and it has "
        "started to affect the whole team.",
        "Help to agree on who speaks to the client, and to work together again.",
    ),
    (
        1,
        Case.State.AGREEMENT,
        60,
        "After a tense assembly, a colleague and I stopped answering each other's messages.",
        "To talk it through with someone neutral.",
    ),
)


def _pool(exclude: set[int]) -> list[Person]:
    return list(
        Person.objects.filter(
            participation=Person.Participation.ACTIVE,
            organisation__status=Organisation.Status.MEMBER,
            user__isnull=True,
            erased_at__isnull=True,
        )
        .exclude(pk__in=exclude)
        .order_by("id")[:12]
    )


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    if Circle.objects.filter(slug=SLUG).exists():
        say("Mediation: already there, nothing added.")
        return
    accounts = {
        p.user.email: p
        for p in Person.objects.filter(user__email__in=[MEMBER, COORDINATOR]).select_related("user")
        if p.user
    }
    if MEMBER not in accounts or COORDINATOR not in accounts:
        return
    today = network_today()
    pool = _pool({p.pk for p in accounts.values()})
    if len(pool) < 9:
        return
    circle = Circle.objects.create(
        name="Mediation",
        slug=SLUG,
        handles_conflicts=True,
        purpose="Help people of the network resolve conflicts, confidentially and fairly.",
        domain="Requests for help with a conflict between people of the network.",
        accountabilities=[
            "Answer every request for help within a week",
            "Keep every case confidential",
            "Bring to the assembly what mediation cannot resolve",
        ],
        meeting_rhythm="When a case needs it",
    )
    mediators = [(pool.pop(0), Role.COORDINATOR), (accounts[COORDINATOR], Role.MEMBER)]
    mediators += [(pool.pop(0), Role.MEMBER)]
    CircleMembership.objects.bulk_create(
        CircleMembership(
            circle=circle,
            person=person,
            role=role,
            hours_per_month=4,
            start_date=today - timedelta(days=200),
        )
        for person, role in mediators
    )
    participation_refresh([person.pk for person, _role in mediators])
    lead = mediators[0][0]
    now = timezone.now()
    requesters = [pool.pop(0), pool.pop(0)]
    for who, state, days, happened, hoped in CASES:
        requester = accounts[MEMBER] if who == "member" else requesters[int(who)]
        opened = now - timedelta(days=days)
        case = Case.objects.create(
            requester=requester, what_happened=happened, hoped_for=hoped, state=state
        )
        involved = [pool.pop(0)] + ([pool.pop(0)] if who == 0 else [])
        case.involved.set(involved)
        events = [
            CaseEvent(
                case=case, kind=CaseEvent.Kind.OPENED, state=Case.State.RECEIVED, by=requester
            )
        ]
        if state != Case.State.RECEIVED:
            events.append(
                CaseEvent(
                    case=case, kind=CaseEvent.Kind.STATE, state=Case.State.IN_MEDIATION, by=lead
                )
            )
        fields: dict[str, object] = {"opened_at": opened}
        if state == Case.State.IN_MEDIATION:
            meeting = (now + timedelta(days=6)).replace(hour=14, minute=0, second=0, microsecond=0)
            fields.update(
                meeting_at=meeting,
                meeting_minutes=90,
                meeting_place="https://meet.example.org/patio-mediation",
            )
            events.append(CaseEvent(case=case, kind=CaseEvent.Kind.MEETING, state=state, by=lead))
            CaseNote.objects.create(
                case=case,
                author=lead,
                body="Thank you for writing to us. I have spoken with the other person, who agreed to meet; the meeting is set below.",
            )
            CaseNote.objects.create(
                case=case, author=requester, body="Thank you. The proposed time works for me."
            )
            for hours, note in enumerate(CaseNote.objects.filter(case=case).order_by("id")):
                CaseNote.objects.filter(pk=note.pk).update(
                    created_at=opened + timedelta(days=3, hours=hours * 5)
                )
        if state == Case.State.AGREEMENT:
            events.append(CaseEvent(case=case, kind=CaseEvent.Kind.STATE, state=state, by=lead))
            fields["ended_at"] = opened + timedelta(days=20)
        CaseEvent.objects.bulk_create(events)
        Case.objects.filter(pk=case.pk).update(**fields)
        for step, event in enumerate(CaseEvent.objects.filter(case=case).order_by("id")):
            CaseEvent.objects.filter(pk=event.pk).update(
                at=opened + timedelta(days=step * 2, hours=step)
            )
    say(f"Mediation: a circle of {len(mediators)} mediators and {len(CASES)} cases.")
