"""Reads of discussions shared by the pages and the API, scoped to the reader: what a reader may
not read is not in the queryset, so a page, the API and search cannot show it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import AnyUser
from assemblies.permissions import can_view_assemblies
from circles.models import CircleMembership
from discussions.models import Comment, CommentEdit, Follow, Reaction, ReadMark, Thread
from members.models import Person
from members.permissions import is_member, is_network_admin, person_of
from policies.selectors import visible_policies
from projects.selectors.opportunities import opportunities_visible_to


def threads_visible_to(user: AnyUser | None) -> QuerySet[Thread]:
    """The reading rule of `discussions.permissions`, in SQL (a constant number of subqueries)."""
    threads = Thread.objects.all()
    if is_network_admin(user):
        return threads
    person = person_of(user)
    if is_member(user):
        readable = Q(visibility__in=[Thread.Visibility.PUBLIC, Thread.Visibility.NETWORK])
        if person is not None:
            circles = CircleMembership.objects.current().filter(person=person).values("circle_id")
            readable |= Q(visibility=Thread.Visibility.CIRCLE, circle_id__in=circles)
    else:
        readable = Q(visibility=Thread.Visibility.PUBLIC)
    threads = threads.filter(readable)
    threads = threads.filter(
        Q(policy__isnull=True) | Q(policy__in=visible_policies(user).values("pk")),
        Q(opportunity__isnull=True)
        | Q(opportunity__in=opportunities_visible_to(user).values("pk")),
    )
    if not can_view_assemblies(user):
        threads = threads.filter(agenda_item__isnull=True)
    return threads


def _unread(person: Person | None) -> Coalesce | Value:
    """How many comments of the thread, by others, came after the reader's read mark."""
    if person is None:
        return Value(0)
    mark = ReadMark.objects.filter(thread=OuterRef("thread_id"), person=person).values(
        "last_read_comment_id"
    )[:1]
    newer = (
        Comment.objects.filter(thread=OuterRef("pk"))
        .exclude(author=person)
        .filter(id__gt=Coalesce(Subquery(mark), Value(0)))
        .order_by()
        .values("thread")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(newer, output_field=IntegerField()), Value(0))


def _with_details(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.select_related(
        "author__organisation",
        "circle",
        "policy",
        "opportunity",
        "agenda_item__assembly",
        "closed_by",
    )


def thread_list(user: AnyUser | None) -> QuerySet[Thread]:
    """Threads the reader may read, most recently active first, each with `unread`."""
    return (
        _with_details(threads_visible_to(user))
        .annotate(unread=_unread(person_of(user)))
        .order_by("-last_activity_at", "-id")
    )


def thread_detail(user: AnyUser | None) -> QuerySet[Thread]:
    return _with_details(threads_visible_to(user))


def threads_about(user: AnyUser | None, **subject: object) -> QuerySet[Thread]:
    """The threads of one subject (`circle=`, `policy=`, `opportunity=`, `agenda_item__in=`)."""
    return thread_list(user).filter(**subject)


def comment_detail(user: AnyUser | None) -> QuerySet[Comment]:
    return Comment.objects.filter(thread__in=threads_visible_to(user).values("pk")).select_related(
        "thread__policy", "thread__opportunity", "author__organisation", "hidden_by"
    )


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    emoji: str
    label: str
    count: int
    mine: bool


def reaction_counts(comment: Comment, person: Person | None) -> list[ReactionCount]:
    """Every kind, in order, with its count and whether the reader gave it (prefetched rows)."""
    rows = list(comment.reactions.all())
    return [
        ReactionCount(
            kind=kind.value,
            emoji=Reaction.EMOJI[kind],
            label=str(kind.label),
            count=sum(1 for row in rows if row.kind == kind),
            mine=person is not None
            and any(row.kind == kind and row.person_id == person.pk for row in rows),
        )
        for kind in Reaction.Kind
    ]


def comments_of(thread: Thread) -> QuerySet[Comment]:
    """Every comment of the thread in order, with its author, reactions and number of edits."""
    return (
        Comment.objects.filter(thread=thread)
        .select_related("author__organisation", "hidden_by")
        .prefetch_related(Prefetch("reactions", queryset=Reaction.objects.order_by("id")))
        .annotate(edit_count=Count("edits", distinct=True))
        .order_by("created_at", "id")
    )


@dataclass
class Entry:
    """A top-level comment with its replies (one level), as the page shows them."""

    comment: Comment
    replies: list[Comment]


def arranged(comments: list[Comment]) -> tuple[Comment | None, list[Entry]]:
    """The opening post, then each top-level reply with its own replies under it."""
    opening = next((c for c in comments if c.is_opening), None)
    entries: dict[int, Entry] = {}
    for comment in comments:
        if comment.is_opening:
            continue
        if comment.parent_id is None:
            entries[comment.pk] = Entry(comment, [])
        elif comment.parent_id in entries:
            entries[comment.parent_id].replies.append(comment)
    return opening, list(entries.values())


def edits_of(comment: Comment) -> QuerySet[CommentEdit]:
    return CommentEdit.objects.filter(comment=comment).select_related("editor")


def is_following(user: AnyUser | None, thread: Thread) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return Follow.objects.filter(thread=thread, person=person, following=True).exists()


def followers_of(thread: Thread) -> QuerySet[Person]:
    return Person.objects.filter(
        thread_follows__thread=thread, thread_follows__following=True
    ).select_related("user")
