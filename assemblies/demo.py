"""Demo assemblies for `seed_demo`: a series, last month's assembly with its attendance, minutes,
decisions, actions and a correction, the next ones planned, circle updates for the next one, and
an extraordinary assembly on the day of seeding, which the demo facilitator can open and run.
Running it twice adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from assemblies import selectors, services
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    AssemblySeries,
    Attendance,
    CircleUpdate,
    Correction,
    Decision,
    Minutes,
    MinutesRevision,
    Rsvp,
    SeriesVolunteer,
    VoteDelegation,
)
from circles.models import Circle, CircleMembership
from members.models import Person
from patio.dates import network_today

SERIES_TITLE = "Network assembly"
TODAY_TITLE = "Extraordinary assembly: the next gathering"
PAST_PRESENT = 23  # as its minutes say

TODAY_AGENDA = [
    ("demo:today-checkin", "information", "Check-in", 5),
    ("demo:today-place", "decision", "Choose the place of the next gathering", 20),
    ("demo:today-dates", "discussion", "Dates and travel support", 15),
]

PAST_AGENDA = [
    # source key, kind, title, minutes
    (
        "demo:welcome",
        "information",
        "Welcome and check-in",
        "Twenty-three people from 14 countries.",
    ),
    (
        "demo:tech",
        "circle_update",
        "Update from the tech circle",
        "The directory moved to the co-op cloud. **No downtime.**",
    ),
    (
        "demo:fund",
        "decision",
        "Solidarity fund rules",
        "Two rounds of questions; one objection about the cap, integrated.",
    ),
    ("demo:gathering", "discussion", "Next in-person gathering", "Rosario and Sofia offered."),
]


def _person(email: str) -> Person | None:
    return Person.objects.filter(user__email=email).first()


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    today = network_today()
    series, created = _series(today)
    facilitator = _person("coordinator@patio.example")
    note_taker = _person("member@patio.example")
    past = _seed_past(series, facilitator, note_taker, today)
    upcoming = services.series_extend(series=series, count=3)
    updates = _seed_following(series, facilitator, note_taker)
    today_assembly = _seed_today(facilitator, note_taker)
    if past:
        _seed_minutes(past, facilitator, note_taker)
    delegations = _seed_delegations(series)
    volunteers = _seed_volunteers(series, [facilitator, note_taker])
    say(
        f"assemblies: {today_assembly.title!r} on {today_assembly.start:%Y-%m-%d %H:%M} UTC, series {'created' if created else 'kept'}, "
        f"{'past assembly ready' if past else 'no past assembly'}, "
        f"{len(upcoming)} assemblies planned, {updates} circle updates added, "
        f"{delegations} delegated votes, {volunteers} rotation volunteers"
    )


def _series(today: date) -> tuple[AssemblySeries, bool]:
    """The monthly series, started six months ago so last month's assembly belongs to it."""
    first_month = date(
        today.year - 1 if today.month <= 6 else today.year, (today.month - 7) % 12 + 1, 1
    )
    return AssemblySeries.objects.get_or_create(
        title=SERIES_TITLE,
        defaults={
            "nth": AssemblySeries.Nth.FIRST,
            "weekday": AssemblySeries.Weekday.THURSDAY,
            "slots": ["07:00", "15:00"],
            "duration_minutes": 90,
            "starts_on": first_month,
            "link": "https://meet.example.org/patio-assembly",
        },
    )


def _seed_past(
    series: AssemblySeries, facilitator: Person | None, note_taker: Person | None, today: date
) -> Assembly | None:
    """Last month's assembly, closed, with its attendance, minutes, decisions, a correction
    and action items; None when the series had no assembly last month."""
    last = today.replace(day=1) - timedelta(days=1)
    occurrence = series.occurrence(last.year, last.month)
    if not occurrence:
        return None
    day, start = occurrence
    past, _new = Assembly.objects.get_or_create(
        series=series,
        occurrence=day,
        defaults={
            "title": series.title,
            "start": start,
            "duration_minutes": 90,
            "link": series.link,
            "facilitator": facilitator,
            "note_taker": note_taker,
            "status": Assembly.Status.CLOSED,
            "agenda_published_at": start - timedelta(days=7),
            # The network's monthly assemblies are public: when they meet, what they decided.
            "visibility": Assembly.Visibility.PUBLIC,
        },
    )
    present = selectors.roster(past).values_list("pk", flat=True)[:PAST_PRESENT]
    Attendance.objects.bulk_create(
        [Attendance(assembly=past, person_id=pk, recorded_by=note_taker) for pk in present],
        ignore_conflicts=True,
    )
    items = {}
    for order, (key, kind, title, minutes) in enumerate(PAST_AGENDA, start=1):
        items[key], _new = AgendaItem.objects.get_or_create(
            assembly=past,
            source_key=key,
            defaults={
                "kind": kind,
                "title": title,
                "minutes": minutes,
                "order": order * 10,
                "proposer": facilitator,
            },
        )
    _past_decisions(past, items, note_taker)
    if note_taker:
        ActionItem.objects.get_or_create(
            assembly=past,
            description="Translate the solidarity fund rules into Spanish",
            defaults={"owner": note_taker, "due_date": today + timedelta(days=14)},
        )
    if facilitator:
        ActionItem.objects.get_or_create(
            assembly=past,
            description="Ask Rosario and Sofia for costs of the gathering",
            defaults={"owner": facilitator, "due_date": today + timedelta(days=21)},
        )
    return past


def _past_decisions(
    past: Assembly, items: dict[str, AgendaItem], note_taker: Person | None
) -> None:
    """The fund rules adopted (and corrected afterwards), the gathering's place deferred."""
    count = selectors.quorum(past)
    taken = {
        "present_count": count.present,
        "quorum_needed": count.needed,
        "without_quorum": not count.reached,
    }
    fund_rules, _new = Decision.objects.get_or_create(
        assembly=past,
        text="We adopt the solidarity fund rules, with a cap of 5,000 EUR a year.",
        defaults={
            "agenda_item": items["demo:fund"],
            "method": Decision.Method.CONSENT,
            "outcome": Decision.Outcome.ADOPTED,
            "recorded_by": note_taker,
            **taken,
            "objections": "The cap may be too low for bigger co-ops; to review in a year.",
        },
    )
    Decision.objects.get_or_create(
        assembly=past,
        text="We choose the place of the next gathering in the next assembly.",
        defaults={
            "agenda_item": items["demo:gathering"],
            "method": Decision.Method.CONSENSUS,
            "outcome": Decision.Outcome.DEFERRED,
            "recorded_by": note_taker,
            **taken,
        },
    )
    Correction.objects.get_or_create(
        assembly=past,
        decision=fund_rules,
        text="The cap is 5,000 EUR a year for each co-op, not for the whole network.",
        defaults={
            "author": note_taker,
            "agenda_item": items["demo:fund"],
            "reason": "The minutes left out “for each co-op”, as the recording shows.",
        },
    )


def _seed_following(
    series: AssemblySeries, facilitator: Person | None, note_taker: Person | None
) -> int:
    """The next assembly of the series: its facilitator, and updates from three circles;
    returns how many updates were added."""
    following = (
        Assembly.objects.filter(series=series, start__gt=timezone.now()).order_by("start").first()
    )
    if following is None:
        return 0
    if following.facilitator_id is None and facilitator:
        following.facilitator, following.note_taker = facilitator, note_taker
        following.visibility = Assembly.Visibility.PUBLIC
        following.save(update_fields=["facilitator", "note_taker", "visibility", "updated_at"])
    coordinators = {
        m.circle_id: m.person
        for m in CircleMembership.objects.current()
        .filter(role=CircleMembership.Role.COORDINATOR)
        .select_related("person")
    }
    updates = 0
    for circle in Circle.objects.filter(status=Circle.Status.ACTIVE).order_by("name")[:3]:
        _update, new = CircleUpdate.objects.get_or_create(
            assembly=following,
            circle=circle,
            defaults={
                "author": coordinators.get(circle.pk),
                "done": f"{circle.name}: met twice, closed three tasks.",
                "next": "Prepare the proposals for the next quarter.",
                "needs": "Two more people with a few hours a month.",
            },
        )
        updates += new
    return updates


def _seed_today(facilitator: Person | None, note_taker: Person | None) -> Assembly:
    """An assembly on the day of seeding (starting within the next hour), so the demo
    facilitator can open it, mark people present and take decisions: an assembly opens only on
    its day."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assembly, created = Assembly.objects.get_or_create(
        series=None,
        title=TODAY_TITLE,
        defaults={
            "start": start,
            "duration_minutes": 60,
            "facilitator": facilitator,
            "note_taker": note_taker,
            "link": "https://meet.example.org/patio-extraordinary",
            "agenda_published_at": timezone.now(),
        },
    )
    if created:
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    assembly=assembly,
                    source_key=key,
                    kind=kind,
                    title=title,
                    time_box_minutes=minutes,
                    order=order * 10,
                    proposer=facilitator,
                )
                for order, (key, kind, title, minutes) in enumerate(TODAY_AGENDA, start=1)
            ]
        )
    return assembly


ACCEPTED_ORIGINAL = "Rosario and Sofia offered."
ACCEPTED_TEXT = "Rosario and Sofia offered to host; Sofia's offer includes travel support."
PENDING_TEXT = "The tech circle asked for two more people to look after the co-op cloud."


def _seed_minutes(past: Assembly, facilitator: Person | None, note_taker: Person | None) -> None:
    """Last month's draft minutes, published two days ago, so the correction window is still
    open: one suggestion accepted (applied to the draft) and one waiting for the facilitator,
    both from people who were present."""
    if Minutes.objects.filter(assembly=past).exists():
        return
    published = timezone.now() - timedelta(days=2)
    draft = selectors.draft_from_items(past)
    minutes = Minutes.objects.create(
        assembly=past,
        text=draft,
        published_by=note_taker,
        published_at=published,
        window_closes_at=published + timedelta(days=services.window_days(past)),
    )
    MinutesRevision.objects.create(minutes=minutes, text=draft, author=note_taker)
    authors = [
        a.person
        for a in Attendance.objects.filter(assembly=past)
        .exclude(person__in=[p for p in (facilitator, note_taker) if p])
        .select_related("person")
        .order_by("person__display_name")[:2]
    ]
    if len(authors) < 2:
        return
    accepted = Correction.objects.create(
        assembly=past,
        status=Correction.Status.ACCEPTED,
        original=ACCEPTED_ORIGINAL,
        text=ACCEPTED_TEXT,
        reason="Sofia's offer was more than a place.",
        author=authors[0],
        decided_by=facilitator,
        decided_at=published + timedelta(days=1),
        decision_note="Thanks, that is what we heard.",
        # Its author was told at the time.
        notice_taken_at=published + timedelta(days=1),
        notice_sent_at=published + timedelta(days=1),
    )
    minutes.text = services.applied(draft, accepted)
    minutes.save(update_fields=["text", "updated_at"])
    MinutesRevision.objects.create(
        minutes=minutes, text=minutes.text, correction=accepted, author=facilitator
    )
    Correction.objects.create(
        assembly=past,
        status=Correction.Status.SUGGESTED,
        text=PENDING_TEXT,
        reason="It was said during the tech update.",
        author=authors[1],
    )
    # Those present were told when the draft went up.
    Attendance.objects.filter(assembly=past).update(
        draft_notice_taken_at=published, draft_notice_sent_at=published
    )


def _demo_people(exclude: set[int], count: int) -> list[Person]:
    """Active members other than the demo accounts (most have no account), in a stable order."""
    return list(
        selectors.roster()
        .exclude(user__email__endswith="@patio.example")
        .exclude(pk__in=exclude)[:count]
    )


def _seed_delegations(series: AssemblySeries) -> int:
    """Two members who cannot come to the next assembly of the series gave their votes to two
    others: four different people, so the rules hold (one step, one vote carried each). Most
    demo people have no account, so the rows are written as the service would write them."""
    following = (
        Assembly.objects.filter(series=series, status=Assembly.Status.PLANNED)
        .filter(start__gt=timezone.now())
        .order_by("start")
        .first()
    )
    if following is None:
        return 0
    if selectors.live_delegations(following).exists():
        return selectors.live_delegations(following).count()
    people = _demo_people(set(), 4)
    if len(people) < 4:
        return 0
    for giver, carrier in ((people[0], people[1]), (people[2], people[3])):
        VoteDelegation.objects.create(assembly=following, delegator=giver, delegate=carrier)
        # The delegates are coming, so the votes they carry count in the quorum box already.
        Rsvp.objects.get_or_create(
            assembly=following, person=carrier, defaults={"answer": Rsvp.Answer.GOING}
        )
    return 2


def _seed_volunteers(series: AssemblySeries, served: list[Person | None]) -> int:
    """Volunteers for the rotation: the demo facilitator and note-taker, who served last month,
    and two who never served, whom the series therefore suggests next."""
    delegating = set(
        VoteDelegation.objects.filter(assembly__series=series).values_list(
            "delegator_id", flat=True
        )
    )
    fresh = _demo_people(delegating, 2)
    for person in [*served, *fresh]:
        if person is not None:
            SeriesVolunteer.objects.get_or_create(series=series, person=person)
    return SeriesVolunteer.objects.filter(series=series).count()
