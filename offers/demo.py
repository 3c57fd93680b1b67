"""Demo offers and wants, called by `manage.py seed_demo` after the other apps: fifteen posts
across the demo co-ops and their countries, some with replies, one fulfilled, and a saved search
for the demo member. The rows are written as the services would have left them (the replies'
emails counted as sent, so seeding mails nobody). Idempotent: a second run adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person, Skill
from offers.models import Post, Reply, SavedSearch, Tag
from offers.search import refresh_search_vectors
from offers.services import tag_names
from patio.dates import network_today

ACCOUNTS = {
    "member": "member@patio.example",
    "coordinator": "coordinator@patio.example",
    "admin": "admin@patio.example",
}

# (who: an account or a country to find a co-op's person in, exchange, kind, title, description,
#  scope, country, city, tags, skills, days ago posted, days it runs, for the co-op?)
POSTS = [
    (
        "coordinator",
        "offer",
        "capacity",
        "Spare Django capacity for three months",
        "Two of our developers are free **20 hours a week each** from next month: Django, "
        "PostgreSQL, tests and deployment. We prefer projects for co-ops and non-profits.",
        "global",
        "",
        "",
        ["django", "backend"],
        ["Django", "Python", "PostgreSQL"],
        3,
        90,
        True,
    ),
    (
        "AR",
        "offer",
        "room",
        "A meeting room in Buenos Aires",
        "A room for 12 people in Almagro, with a projector and good wifi, free on weekday "
        "afternoons for network co-ops. Ask us a week ahead.",
        "local",
        "AR",
        "Buenos Aires",
        ["meeting-room", "buenos-aires"],
        [],
        10,
        120,
        True,
    ),
    (
        "admin",
        "offer",
        "mentoring",
        "Mentoring on sociocracy",
        "I can mentor one or two co-ops starting with sociocracy: circles, consent decisions and "
        "electing roles. An hour every two weeks, online.",
        "global",
        "",
        "",
        ["sociocracy", "governance"],
        ["Sociocracy", "Meeting facilitation"],
        6,
        60,
        False,
    ),
    (
        "DE",
        "want",
        "subcontracting",
        "Looking for a Rust subcontractor",
        "We need a Rust developer for a **six-week** piece of work on an embedded data logger. "
        "Remote is fine; overlap with Central European hours matters.",
        "global",
        "",
        "",
        ["rust", "embedded"],
        [],
        2,
        45,
        True,
    ),
    (
        "member",
        "want",
        "mentoring",
        "An accessibility review buddy",
        "I'd like someone to pair with on accessibility reviews once a month: we swap audits of "
        "each other's work and learn from each other.",
        "global",
        "",
        "",
        ["accessibility", "peer-review"],
        ["Accessibility"],
        4,
        75,
        False,
    ),
    (
        "ES",
        "offer",
        "tool",
        "Our self-hosted Nextcloud, shared",
        "We run Nextcloud for ourselves and have room for three more small co-ops. We handle "
        "backups and updates; you pay a share of the server.",
        "regional",
        "ES",
        "",
        ["nextcloud", "hosting"],
        [],
        12,
        180,
        True,
    ),
    (
        "FR",
        "want",
        "room",
        "A desk for a week in Lyon",
        "One of us is in Lyon for a week in spring and would love a desk at a co-op there.",
        "local",
        "FR",
        "Lyon",
        ["coworking"],
        [],
        8,
        60,
        False,
    ),
    (
        "IT",
        "offer",
        "capacity",
        "A designer free two days a week",
        "Our UI designer has two free days a week for the next two months: design systems, "
        "prototypes and usability tests.",
        "global",
        "",
        "",
        ["design"],
        ["Interaction design"],
        5,
        60,
        True,
    ),
    (
        "KE",
        "want",
        "mentoring",
        "Help setting up our bookkeeping",
        "A young co-op in Nairobi looking for someone to walk us through our first year's "
        "bookkeeping and a simple budget.",
        "global",
        "",
        "",
        ["bookkeeping", "finance"],
        ["Bookkeeping"],
        9,
        90,
        False,
    ),
    (
        "BR",
        "offer",
        "subcontracting",
        "Mobile apps team available",
        "Our team of four builds Flutter apps and can take on a project from May.",
        "global",
        "",
        "",
        ["mobile", "flutter"],
        [],
        15,
        100,
        True,
    ),
    (
        "CA",
        "want",
        "tool",
        "A shared licence for accounting software",
        "We would share the cost of an accounting licence with another co-op in Québec.",
        "regional",
        "CA",
        "",
        ["accounting"],
        [],
        20,
        40,
        True,
    ),
    (
        "GB",
        "offer",
        "room",
        "A workshop space in Bristol",
        "Our workshop space seats 20 and is free most Fridays for network events.",
        "local",
        "GB",
        "Bristol",
        ["events", "bristol"],
        [],
        7,
        150,
        True,
    ),
    (
        "PT",
        "want",
        "capacity",
        "A PostgreSQL expert for a migration",
        "We are moving a client from MySQL to PostgreSQL and want two weeks of an expert's time.",
        "global",
        "",
        "",
        ["postgresql", "migration"],
        ["PostgreSQL"],
        1,
        30,
        True,
    ),
    (
        "US",
        "offer",
        "mentoring",
        "Pricing your co-op's work: a mentoring session",
        "We have priced fixed-fee projects for ten years and are happy to share what we learnt.",
        "global",
        "",
        "",
        ["pricing"],
        [],
        11,
        90,
        False,
    ),
    (
        "BG",
        "want",
        "tool",
        "A 3D printer to borrow",
        "For a prototype: we need a 3D printer for about two weeks in Sofia.",
        "local",
        "BG",
        "Sofia",
        ["hardware", "3d-printing"],
        [],
        25,
        60,
        False,
    ),
]
FULFILLED = "A shared licence for accounting software"
REPLIES = [
    (
        "Spare Django capacity for three months",
        "member",
        "Hedgerow could use ten hours a week for a client's booking system. Could we talk?",
    ),
    (
        "An accessibility review buddy",
        "coordinator",
        "I'd be glad to swap reviews: our team has two sites to audit this spring.",
    ),
    (
        "An accessibility review buddy",
        "admin",
        "Kooperativa Lipa has someone learning accessibility who would love to join.",
    ),
    (
        "Looking for a Rust subcontractor",
        "coordinator",
        "One of our members has written Rust for firmware. I'll pass this on.",
    ),
]


def _person(who: str, accounts: dict[str, Person]) -> Person | None:
    if who in accounts:
        return accounts[who]
    return (
        Person.objects.filter(organisation__country=who, organisation__status="member")
        .exclude(user__email__in=ACCOUNTS.values())
        .select_related("organisation")
        .order_by("organisation__name", "id")
        .first()
    )


def seed(*, say: Callable[[str], None] = print) -> None:
    if Post.objects.exists():
        return
    accounts = {
        role: person
        for role, email in ACCOUNTS.items()
        for person in Person.objects.filter(user__email=email).select_related("organisation")
    }
    today, now = network_today(), timezone.now()
    skills = {skill.name: skill for skill in Skill.objects.all()}
    made: dict[str, Post] = {}
    for (
        who,
        exchange,
        kind,
        title,
        description,
        scope,
        country,
        city,
        tags,
        skill_names,
        days_ago,
        runs,
        for_coop,
    ) in POSTS:
        poster = _person(who, accounts)
        if poster is None:
            continue
        if not country and scope != "global":
            country = str(poster.organisation.country)
        post = Post.objects.create(
            exchange=exchange,
            kind=kind,
            title=title,
            description=description,
            scope=scope,
            country=country,
            city=city,
            starts_on=today - timedelta(days=days_ago),
            ends_on=today - timedelta(days=days_ago) + timedelta(days=runs),
            poster=poster,
            organisation=poster.organisation if for_coop else None,
        )
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(days=days_ago))
        names = tag_names(tags)
        Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
        post.tags.set(Tag.objects.filter(name__in=names))
        post.skills.set([skills[name] for name in skill_names if name in skills])
        made[title] = post
    if FULFILLED in made:
        Post.objects.filter(pk=made[FULFILLED].pk).update(
            state=Post.State.FULFILLED, closed_at=now - timedelta(days=2)
        )
    for title, role, body in REPLIES:
        if title in made and role in accounts and made[title].poster_id != accounts[role].pk:
            Reply.objects.create(
                post=made[title], author=accounts[role], body=body, email_sent_at=now
            )
    refresh_search_vectors([post.pk for post in made.values()])
    member = accounts.get("member")
    if member is not None:
        search = SavedSearch.objects.create(
            person=member, name="Design and accessibility", frequency="weekly"
        )
        search.skills.set(
            Skill.objects.filter(Q(name="Accessibility") | Q(name="Interaction design"))
        )
    say(
        _("Offers and wants: %(posts)d posts, %(replies)d replies.")
        % {"posts": len(made), "replies": Reply.objects.count()}
    )
