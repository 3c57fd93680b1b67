"""Demo polls, called by `manage.py seed_demo` after circles and assemblies: a score poll on pay
fairness, a proposal with a block and its reasons, a closed ranked-choice poll with its rounds
and outcome, a dot vote, an anonymous poll with results hidden while it is open, and a time poll
for an extra assembly voted on from several timezones, which the demo coordinator can close and
turn into the assembly. The rows are written as the services would have left them (ballots of
people without an account too, as if they had voted), so seeding mails nobody. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from circles.models import Circle, CircleMembership
from members.models import Person
from polls.models import Ballot, Outcome, Poll, PollOption
from polls.selectors import voter_key


def _person(email: str) -> Person | None:
    return Person.objects.filter(user__email=email).first()


# The score poll the demo's thread on the pay policy carries (discussions.demo).
PAY_POLL = "How fair do our pay models feel?"


def _poll(title: str, options: list[str], **fields: Any) -> tuple[Poll, bool]:
    poll, created = Poll.objects.get_or_create(title=title, defaults=fields)
    if created:
        PollOption.objects.bulk_create(
            PollOption(poll=poll, position=i, label=label) for i, label in enumerate(options)
        )
    return poll, created


def _vote(poll: Poll, person: Person, answer: dict[str, Any]) -> None:
    Ballot.objects.get_or_create(
        poll=poll,
        voter_key=voter_key(poll.pk, person.pk),
        defaults={"answer": answer, "voter": None if poll.anonymous else person},
    )


def _ids(poll: Poll) -> list[int]:
    return list(poll.options.order_by("position").values_list("pk", flat=True))


def _circle_people(slug: str, limit: int) -> list[Person]:
    ids = (
        CircleMembership.objects.current()
        .filter(circle__slug=slug)
        .values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=list(ids)).order_by("pk")[:limit])


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    coordinator = _person("coordinator@patio.example")
    member = _person("member@patio.example")
    admin = _person("admin@patio.example")
    if coordinator is None or member is None or admin is None:
        say("polls: no demo accounts, no polls")
        return
    now = timezone.now()
    jobs = Circle.objects.filter(slug="job-opportunities").first()
    tech = Circle.objects.filter(slug="tech-infrastructure").first()
    active = list(
        Person.objects.filter(participation=Person.Participation.ACTIVE)
        .exclude(pk__in=[member.pk])
        .order_by("pk")[:40]
    )
    made = 0

    # A score poll on pay fairness, open, for active members.
    score, created = _poll(
        PAY_POLL,
        ["Equal hourly pay", "Needs-based top-ups", "Pay by seniority", "Pay by role"],
        kind=Poll.Kind.SCORE,
        description="Score each model from 0 (unfair) to 5 (fair), for the pay policy review.",
        author=admin,
        electorate=Poll.Electorate.ACTIVE,
        closes_at=now + timedelta(days=9),
        max_score=5,
        quorum=20,
        remind_hours_before=24,
    )
    if created:
        made += 1
        ids = _ids(score)
        for i, person in enumerate(active[:17]):
            _vote(
                score,
                person,
                {
                    "scores": {
                        str(ids[0]): 5 - i % 3,
                        str(ids[1]): 3 + i % 3,
                        str(ids[2]): i % 2,
                        str(ids[3]): 2 + i % 2,
                    }
                },
            )

    # A proposal with a block and reasons, in the job-opportunities circle.
    if jobs is not None:
        proposal, created = _poll(
            "Publish every opportunity's pay range",
            [],
            kind=Poll.Kind.PROPOSAL,
            description="Every opportunity posted on Patio states its hourly pay range.",
            circle=jobs,
            author=coordinator,
            electorate=Poll.Electorate.CIRCLE,
            closes_at=now + timedelta(days=4),
        )
        if created:
            made += 1
            positions = [
                ("agree", "Members ask for it before anything else."),
                ("agree", ""),
                ("abstain", ""),
                ("disagree", "Clients negotiate; a range fixes us too early."),
                ("block", "Some clients forbid publishing rates: we would lose their work."),
                ("agree", "It makes pay fairness visible."),
            ]
            people = [p for p in _circle_people("job-opportunities", 8) if p.pk != member.pk]
            for person, (position, reason) in zip(people, positions, strict=False):
                _vote(proposal, person, {"position": position, "reason": reason})

    # A ranked-choice poll, closed, with its rounds and outcome.
    ranked, created = _poll(
        "Where should the 2027 gathering be?",
        ["Lisbon", "Rosario", "Sofia", "Bristol"],
        kind=Poll.Kind.RANKED,
        author=coordinator,
        electorate=Poll.Electorate.ACTIVE,
        closes_at=now - timedelta(days=2),
        closed_at=now - timedelta(days=2),
    )
    if created:
        made += 1
        lisbon, rosario, sofia, bristol = _ids(ranked)
        rankings = (
            [[lisbon, sofia]] * 6
            + [[rosario, lisbon]] * 5
            + [[sofia, bristol, lisbon]] * 3
            + [[bristol, rosario]] * 2
            + [[bristol]] * 1
        )
        for person, ranking in zip(active, rankings, strict=False):
            _vote(ranked, person, {"ranking": ranking})
        Outcome.objects.create(
            poll=ranked,
            statement="The 2027 gathering is in Lisbon; Rosario hosts in 2028.",
            review_on=(now + timedelta(days=180)).date(),
            recorded_by=coordinator,
        )

    # A dot vote in the tech circle.
    dot, created = _poll(
        "Which tools should the tech circle fund next?",
        ["Shared CI runners", "A self-hosted video service", "Translation tooling", "Backups"],
        kind=Poll.Kind.DOT,
        circle=tech,
        author=coordinator,
        electorate=Poll.Electorate.CIRCLE if tech else Poll.Electorate.ACTIVE,
        closes_at=now + timedelta(days=6),
        dots=10,
    )
    if created:
        made += 1
        ids = _ids(dot)
        spreads = [(4, 2, 1, 3), (0, 5, 5, 0), (3, 3, 2, 2), (1, 0, 6, 3), (5, 0, 0, 5)]
        people = _circle_people("tech-infrastructure", 6) if tech else active
        for person, spread in zip(people, spreads, strict=False):
            if person.pk != member.pk:
                _vote(
                    dot,
                    person,
                    {"dots": {str(pk): n for pk, n in zip(ids, spread, strict=True) if n}},
                )

    # An anonymous poll with hidden results, still open.
    secret, created = _poll(
        "Should the network fee rise by 10% next year?",
        ["Yes", "No", "Only for co-ops above 20 members"],
        kind=Poll.Kind.SINGLE,
        author=admin,
        electorate=Poll.Electorate.ACTIVE,
        closes_at=now + timedelta(days=12),
        anonymous=True,
        results_hidden=True,
        quorum=15,
    )
    if created:
        made += 1
        ids = _ids(secret)
        for i, person in enumerate(active[:11]):
            _vote(secret, person, {"option": ids[i % 3]})

    # A time poll for an extra assembly, voted on from several timezones.
    day = (now + timedelta(days=21)).replace(hour=0, minute=0, second=0, microsecond=0)
    time_poll, created = Poll.objects.get_or_create(
        title="When should the extra assembly on pay meet?",
        defaults={
            "kind": Poll.Kind.TIME,
            "description": "An extra assembly to decide the pay policy review. Pick every time "
            "you can make.",
            "circle": jobs,
            "author": coordinator,
            "electorate": Poll.Electorate.CIRCLE if jobs else Poll.Electorate.ALL,
            "closes_at": now + timedelta(days=7),
        },
    )
    if created:
        made += 1
        starts = [
            day + timedelta(hours=13),
            day + timedelta(days=1, hours=7),
            day + timedelta(days=1, hours=16),
            day + timedelta(days=2, hours=14),
        ]
        PollOption.objects.bulk_create(
            PollOption(poll=time_poll, position=i, starts_at=s, duration_minutes=90)
            for i, s in enumerate(starts)
        )
        ids = _ids(time_poll)
        people = _circle_people("job-opportunities", 10) if jobs else active
        zones = sorted({p.timezone for p in people})
        patterns = [
            ("yes", "no", "yes", "maybe"),
            ("maybe", "yes", "yes", "no"),
            ("yes", "maybe", "no", "yes"),
            ("no", "yes", "yes", "maybe"),
        ]
        for i, person in enumerate(p for p in people if p.pk not in (member.pk, coordinator.pk)):
            pattern = patterns[i % len(patterns)]
            _vote(
                time_poll,
                person,
                {"slots": {str(pk): v for pk, v in zip(ids, pattern, strict=True)}},
            )
        say(f"polls: the time poll was voted on from {len(zones)} timezones")
    say(f"polls: {made} demo polls added")
