"""The demo network's circles, called at the end of `manage.py seed_demo`.

Idempotent: a circle that exists is left as it is (with its members), so a second run adds
nothing. Needs the demo directory (members/demo_data.py) to exist."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from circles.models import Circle, CircleMembership, MembershipRequest
from circles.services import participation_refresh
from members.models import Organisation, Person
from patio.dates import network_today

SEED = "patio-circles"
Role = CircleMembership.Role

# slug: (name, parent slug, triages help requests, purpose, domain, accountabilities, rhythm,
#        how many current members, named demo accounts included: 32 places, 31 people)
CIRCLES = {
    "job-opportunities": (
        "Job opportunities",
        None,
        True,
        "Bring work to the network that one co-op cannot take on alone, and staff it with "
        "people from many co-ops.",
        "Posting job opportunities, triaging requests for help from outside organisations, "
        "proposing teams.",
        [
            "Triage every request for help within a week",
            "Post job opportunities with clear roles and budgets",
            "Propose teams and follow up until the work is staffed",
        ],
        "Every Tuesday, 15:00 UTC",
        6,
    ),
    "tech-infrastructure": (
        "Tech infrastructure",
        "job-opportunities",
        False,
        "Keep the network's shared tools running and help co-ops host their own.",
        "Patio's servers, backups, monitoring and the shared hosting offer.",
        [
            "Keep Patio up and backed up",
            "Review security updates monthly",
            "Advise co-ops on self-hosting",
        ],
        "Every second Thursday",
        5,
    ),
    "education": (
        "Education",
        "job-opportunities",
        False,
        "Grow the skills the network needs, through workshops and mentoring across co-ops.",
        "The workshop calendar, mentoring pairs, learning materials.",
        ["Run at least one workshop a month", "Pair newer members with mentors"],
        "First Monday of the month",
        5,
    ),
    "business-development": (
        "Business development",
        None,
        False,
        "Find clients who value co-operative work and bring them to the network.",
        "Relations with prospective clients, tenders, partner organisations.",
        ["Keep a list of open tenders", "Meet prospective clients with the co-ops concerned"],
        "Every other Wednesday",
        5,
    ),
    "communication": (
        "Communication",
        None,
        False,
        "Tell the network's story, inside and outside.",
        "The newsletter, the website, social media, the press kit.",
        ["Send the monthly newsletter", "Answer press enquiries", "Keep the website current"],
        "Weekly, Fridays",
        5,
    ),
    "finance": (
        "Finance",
        None,
        False,
        "Keep the network's money in order and its fees fair.",
        "Membership fees, the network's budget, the solidarity fund's accounts.",
        ["Prepare the yearly budget", "Collect membership fees", "Report to the assembly"],
        "Monthly, last Thursday",
        6,
    ),
}

# Demo accounts with a place in a circle. Three of them are in Finance, so the fund's two-of-many
# approval of a payout claim can be tried in the demo with the README's accounts.
NAMED = [
    ("coordinator@patio.example", "job-opportunities", Role.COORDINATOR),
    ("admin@patio.example", "finance", Role.MEMBER),
    ("member@patio.example", "finance", Role.MEMBER),
    ("coordinator@patio.example", "finance", Role.MEMBER),
    # The hub's guides are reviewed by Education: the coordinator reviews the demo's drafts.
    ("coordinator@patio.example", "education", Role.MEMBER),
]
DUTIES = {
    Role.COORDINATOR: "Runs the meetings' agenda, speaks for the circle",
    Role.FACILITATOR: "Facilitates the meetings",
    Role.SECRETARY: "Keeps the minutes and the circle's records",
    Role.MEMBER: "",
}
HOURS = {Role.COORDINATOR: 16, Role.FACILITATOR: 8, Role.SECRETARY: 6, Role.MEMBER: 4}


def _candidates() -> list[Person]:
    """People already marked active in member co-ops, public profiles first (visitors see them)."""
    people = (
        Person.objects.filter(
            participation=Person.Participation.ACTIVE,
            organisation__status=Organisation.Status.MEMBER,
            user__isnull=True,
        )
        .order_by("-profile_visibility", "id")  # "public" sorts after "members"
        .only("id")
    )
    return list(people[:400])


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    today = network_today()
    rng = random.Random(SEED)
    existing = set(Circle.objects.filter(slug__in=CIRCLES).values_list("slug", flat=True))
    if existing == set(CIRCLES):
        say("Circles: already there, nothing added.")
        return
    pool = _candidates()
    rng.shuffle(pool)
    used = set(
        CircleMembership.objects.current().values_list("person_id", flat=True)
    )  # people a partial earlier run placed
    pool = [p for p in pool if p.pk not in used]
    emails = {email for email, _slug, _role in NAMED}
    named = {
        p.user.email: p
        for p in Person.objects.filter(user__email__in=emails).select_related("user")
        if p.user is not None
    }
    circles: dict[str, Circle] = {}
    rows: list[CircleMembership] = []
    created = 0
    for slug, (name, parent, triages, purpose, domain, duties, rhythm, n) in CIRCLES.items():
        circle, was_created = Circle.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": circles.get(parent) if parent else None,
                "triages_help_requests": triages,
                "purpose": purpose,
                "domain": domain,
                "accountabilities": duties,
                "meeting_rhythm": rhythm,
            },
        )
        circles[slug] = circle
        if was_created:
            created += 1
            rows += _seat(circle, n, named, pool, today, rng)
    CircleMembership.objects.bulk_create(rows)
    requests = _pending_requests(circles, pool)
    changed = participation_refresh()
    active = Person.objects.filter(participation=Person.Participation.ACTIVE).count()
    say(
        f"Circles: {created} created with {len(rows)} memberships and {requests} pending "
        f"requests; {active} people active, {changed} participations updated."
    )


def _seat(
    circle: Circle,
    n: int,
    named: dict[str, Person],
    pool: list[Person],
    today: date,
    rng: random.Random,
) -> list[CircleMembership]:
    """The memberships of a new circle: `n` current members, the named demo accounts among
    them, a facilitator who was a member first, and a past member who left."""
    roles = [Role.COORDINATOR, Role.FACILITATOR, Role.SECRETARY] + [Role.MEMBER] * (n - 3)
    people = []
    for email, circle_slug, role in NAMED:
        if circle_slug == circle.slug and email in named:
            roles.remove(role)
            people.append((named[email], role))
    people += [(pool.pop(), role) for role in roles if pool]
    rows = []
    for person, role in people:
        row = _row(circle, person, role, today, rng)
        rows.append(row)
        if role == Role.FACILITATOR:  # was a member before: a role change in the history
            rows.append(
                CircleMembership(
                    circle=circle,
                    person=person,
                    role=Role.MEMBER,
                    hours_per_month=4,
                    start_date=row.start_date - timedelta(days=rng.randint(100, 300)),
                    end_date=row.start_date - timedelta(days=1),
                )
            )
    rows.extend(_history(circle, pool, today, rng))
    return rows


def _row(
    circle: Circle, person: Person, role: Role, today: date, rng: random.Random
) -> CircleMembership:
    return CircleMembership(
        circle=circle,
        person=person,
        role=role,
        hours_per_month=HOURS[role],
        duties=DUTIES[role],
        start_date=today - timedelta(days=rng.randint(20, 700)),
    )


def _history(
    circle: Circle, pool: list[Person], today: date, rng: random.Random
) -> list[CircleMembership]:
    """A past member who left."""
    rows = []
    if pool:
        start = today - timedelta(days=rng.randint(400, 900))
        rows.append(
            CircleMembership(
                circle=circle,
                person=pool.pop(),
                role=Role.MEMBER,
                hours_per_month=4,
                start_date=start,
                end_date=today - timedelta(days=rng.randint(10, 90)),
            )
        )
    return rows


def _pending_requests(circles: dict[str, Circle], pool: list[Person]) -> int:
    """A couple of people waiting for the job-opportunities coordinator's answer."""
    circle = circles["job-opportunities"]
    wanting = list(
        Person.objects.filter(user__email="member@patio.example").exclude(
            circle_requests__circle=circle
        )
    )
    wanting += pool[-1:]
    made = 0
    for person in wanting:
        _request, created = MembershipRequest.objects.get_or_create(
            circle=circle,
            person=person,
            kind=MembershipRequest.Kind.JOIN,
            status=MembershipRequest.Status.PENDING,
            defaults={"message": "I would like to help triage requests for help."},
        )
        made += created
    return made
