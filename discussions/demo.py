"""Demo discussions: the network's hardest topic on its pay policy ("do we have equal salaries?
is that fair?"), with replies from people of several co-ops, a nested reply, a mention,
reactions, an edit and a comment a moderator hid; a circle's own thread; a public welcome
thread; a thread on an opportunity and one on an agenda item.

Rows are written directly (no emails go out for the demo's past), and the derived fields
(reply counts, last activity, search vectors) are computed here as the services do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.models import AgendaItem
from circles.models import Circle, CircleMembership
from circles.services import participation_refresh
from discussions.models import Comment, CommentEdit, Follow, Reaction, ReadMark, Thread
from discussions.search import refresh_search_vectors
from members.models import Person
from patio.dates import network_today
from policies.models import Policy
from polls.demo import PAY_POLL
from polls.models import Poll
from projects.models import Opportunity

PAY_POLICY = "horas-de-trabajo-para-la-red"
ACCOUNTS = {
    "member": "member@patio.example",
    "coordinator": "coordinator@patio.example",
    "admin": "admin@patio.example",
}
# Each comment: (who, hours ago, body, reply to the comment at this index or None, reactions).
# `who` is a demo account's role or a country code (the first person of a member co-op there).
PAY_THREAD = (
    "Do we have equal salaries? Is that fair?",
    "KE",
    "Our pay policy pays every hour for the network at one rate, whoever does it and wherever "
    "they live. That is equal. But is it **fair**, when rent in Nairobi and in Zürich are so "
    "different?\n\nI would like to hear how your co-ops think about this before the assembly.",
    (
        (
            "coordinator",
            70,
            "In Hornero we pay everyone the same, and we are proud of it. "
            "Equal pay keeps us honest: nobody's hour is worth more than anyone else's.",
            None,
            ["agree", "agree", "thanks"],
        ),
        (
            "ES",
            64,
            "One rate for the network's hours is simple, and simple is worth a lot. "
            "A cost-of-living index would need someone to keep it, and we would argue about it "
            "every year.",
            None,
            ["thinking"],
        ),
        (
            "member",
            50,
            "@lucia-ferreyra does Hornero's equal pay include the hours people "
            "spend on the network, or only client work?",
            0,
            ["thanks"],
        ),
        (
            "coordinator",
            45,
            "Both: an hour is an hour. The network's hours are paid at the "
            "rate the assembly sets, and the co-op tops them up to our own rate.",
            0,
            ["agree"],
        ),
        (
            "IN",
            40,
            "Equal in money is not equal in what it buys. We could keep one rate and "
            "add a small solidarity fund for co-ops in places where the rate is low.",
            None,
            ["agree", "celebrate"],
        ),
        (
            "DE",
            30,
            "Some people here clearly just want more money for themselves, and I can name them.",
            None,
            [],
        ),
        (
            "BR",
            20,
            "The solidarity fund idea could go to the next assembly as a proposal. "
            "Who would like to draft it with me?",
            4,
            ["agree", "agree"],
        ),
    ),
)
HIDDEN_INDEX = 5
HIDDEN_REASON = "Remarks about people rather than the policy. Please keep to the question."


def _person(who: str, accounts: dict[str, Person], used: set[int]) -> Person | None:
    if who in accounts:
        return accounts[who]
    person = (
        Person.objects.filter(organisation__country=who, organisation__status="member")
        .exclude(user__email__in=ACCOUNTS.values())
        .exclude(pk__in=used)
        .select_related("organisation")
        .order_by("organisation__name", "id")
        .first()
    )
    if person is not None:
        used.add(person.pk)
    return person


def _thread(
    *,
    title: str,
    author: Person,
    body: str,
    at,
    **fields,
) -> tuple[Thread, Comment]:
    thread = Thread.objects.create(title=title, author=author, last_activity_at=at, **fields)
    opening = Comment.objects.create(thread=thread, is_opening=True, author=author, body=body)
    Comment.objects.filter(pk=opening.pk).update(created_at=at)
    Thread.objects.filter(pk=thread.pk).update(created_at=at)
    Follow.objects.get_or_create(thread=thread, person=author)
    return thread, opening


def _reply(thread: Thread, author: Person, body: str, at, parent: Comment | None = None) -> Comment:
    comment = Comment.objects.create(thread=thread, author=author, body=body, parent=parent)
    Comment.objects.filter(pk=comment.pk).update(created_at=at)
    Follow.objects.get_or_create(thread=thread, person=author)
    return comment


def _moderator(circle: Circle, used: set[int]) -> Person | None:
    """A person of the network who moderates the circle's discussions (the role circles has)."""
    inside = CircleMembership.objects.current().filter(circle=circle).values("person_id")
    person = (
        Person.objects.filter(organisation__country="PT")
        .exclude(pk__in=inside)
        .exclude(pk__in=used)
        .order_by("id")
        .first()
    ) or Person.objects.exclude(pk__in=inside).exclude(pk__in=used).order_by("id").first()
    if person is None:
        return None
    used.add(person.pk)
    CircleMembership.objects.create(
        circle=circle,
        person=person,
        role=CircleMembership.Role.MODERATOR,
        start_date=network_today() - timedelta(days=90),
        duties="Moderates the circle's discussions",
        hours_per_month=2,
    )
    participation_refresh([person.pk])
    return person


def _derive(threads: list[Thread]) -> None:
    """Reply counts and last activity, as the services keep them."""
    rows = (
        Comment.objects.filter(thread__in=threads)
        .values("thread_id")
        .annotate(n=Count("id"), last=Max("created_at"))
    )
    for row in rows:
        Thread.objects.filter(pk=row["thread_id"]).update(
            reply_count=row["n"] - 1, last_activity_at=row["last"]
        )
    refresh_search_vectors([t.pk for t in threads])


def seed(*, say: Callable[[str], None] = print) -> None:
    if Thread.objects.exists():
        return
    accounts = {
        role: person
        for role, email in ACCOUNTS.items()
        for person in Person.objects.filter(user__email=email).select_related("organisation")
    }
    if "member" not in accounts or "coordinator" not in accounts:
        return
    now = timezone.now()
    used: set[int] = set()
    threads: list[Thread] = []

    policy = Policy.objects.filter(slug=PAY_POLICY).first()
    title, who, body, replies = PAY_THREAD
    author = _person(who, accounts, used) or accounts["coordinator"]
    if policy is not None:
        pay, _opening = _thread(
            title=title,
            author=author,
            body=body,
            at=now - timedelta(hours=80),
            policy=policy,
            visibility=Thread.Visibility.NETWORK,
            poll=Poll.objects.filter(title=PAY_POLL, thread__isnull=True).first(),
        )
        threads.append(pay)
        made: list[Comment] = []
        for index, (role, hours, text, parent, reactions) in enumerate(replies):
            person = _person(role, accounts, used)
            if person is None:
                continue
            parent_comment = made[parent] if parent is not None and parent < len(made) else None
            comment = _reply(pay, person, text, now - timedelta(hours=hours), parent_comment)
            made.append(comment)
            reactors = [p for p in Person.objects.filter(pk__in=used).order_by("id")]
            reactors += [accounts[r] for r in ("admin", "member", "coordinator") if r in accounts]
            others = [r for r in reactors if r.pk != person.pk]
            for kind, reactor in zip(reactions, others, strict=False):
                Reaction.objects.get_or_create(comment=comment, person=reactor, kind=kind)
            if index == HIDDEN_INDEX and policy.circle is not None:
                moderator = _moderator(policy.circle, used)
                Comment.objects.filter(pk=comment.pk).update(
                    hidden_at=now - timedelta(hours=hours - 2),
                    hidden_by=moderator,
                    hidden_reason=HIDDEN_REASON,
                )
        if len(made) > 1:  # an edit kept in the history
            first = made[1]
            CommentEdit.objects.create(
                comment=first,
                editor=first.author,
                previous_body="One rate for the network's hours is simple.",
            )
            Comment.objects.filter(pk=first.pk).update(edited_at=now - timedelta(hours=60))
        # The member read the thread up to their own reply: what came after is unread.
        mine = [c for c in made if c.author_id == accounts["member"].pk]
        if mine:
            ReadMark.objects.create(
                thread=pay, person=accounts["member"], last_read_comment_id=mine[0].pk
            )

    finance = Circle.objects.filter(slug="finance").first()
    if finance is not None:
        budget, _o = _thread(
            title="Translation budget for next year",
            author=accounts["coordinator"],
            body="We paid for two languages this year. Shall we budget for Turkish and "
            "Japanese next year, or first review how the volunteer translations went?",
            at=now - timedelta(days=4),
            circle=finance,
            visibility=Thread.Visibility.CIRCLE,
        )
        _reply(
            budget,
            accounts["member"],
            "Review first, I think: the volunteers did well with Portuguese.",
            now - timedelta(days=3),
        )
        threads.append(budget)

    welcome, _o = _thread(
        title="Introduce your co-op here",
        author=accounts.get("admin") or accounts["coordinator"],
        body="New to the network? Say who you are, what your co-op does and what you would "
        "like to find here.",
        at=now - timedelta(days=20),
        visibility=Thread.Visibility.PUBLIC,
    )
    for who, days, text in (
        ("GB", 18, "Hello from a small web co-op in Leeds: six of us, mostly Django."),
        ("JP", 12, "こんにちは! We are a translation co-op in Osaka and happy to help."),
    ):
        person = _person(who, accounts, used)
        if person is not None:
            _reply(welcome, person, text, now - timedelta(days=days))
    threads.append(welcome)

    opportunity = Opportunity.objects.filter(status=Opportunity.Status.OPEN).order_by("id").first()
    if opportunity is not None:
        question, _o = _thread(
            title="How many hours a week does this need?",
            author=accounts["member"],
            body="Is this closer to ten hours a week or to full time in the first month?",
            at=now - timedelta(days=2),
            opportunity=opportunity,
        )
        threads.append(question)

    item = (
        AgendaItem.objects.filter(assembly__status="planned")
        .order_by("assembly__start", "order", "id")
        .first()
    )
    if item is not None:
        agenda, _o = _thread(
            title=f"Before the assembly: {item.title}",
            author=accounts["coordinator"],
            body="Questions and thoughts before we meet, so the time box is enough.",
            at=now - timedelta(days=1),
            agenda_item=item,
        )
        threads.append(agenda)

    _derive(threads)
    say(
        _("Discussions: %(threads)d threads, %(comments)d comments.")
        % {"threads": len(threads), "comments": Comment.objects.count()}
    )
