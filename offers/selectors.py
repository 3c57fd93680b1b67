"""Reads of offers and wants shared by the pages and the API, scoped to the reader."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import AnyUser
from members.models import Skill
from members.permissions import is_member, person_of
from members.vocabulary import by_name
from offers.models import Post, Reply, SavedSearch, Tag
from offers.permissions import can_manage_post


def _with_details(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("poster__organisation", "organisation").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("skills", queryset=by_name(Skill.objects.all())),
    )


def posts_visible_to(user: AnyUser | None) -> QuerySet[Post]:
    """Members read every post; visitors (and partner tools reading as one) the open public ones."""
    posts = Post.objects.all()
    if not is_member(user):
        posts = posts.filter(state=Post.State.OPEN, visibility=Post.Visibility.PUBLIC)
    return posts


def post_list(user: AnyUser | None) -> QuerySet[Post]:
    return _with_details(posts_visible_to(user)).order_by("-created_at", "-id")


def post_detail(user: AnyUser | None) -> QuerySet[Post]:
    return _with_details(posts_visible_to(user))


def public_posts() -> QuerySet[Post]:
    """What a visitor may read: the posts that have a Murmurations profile."""
    return posts_visible_to(None)


def closed_public_posts() -> QuerySet[Post]:
    """Public posts that were open once and are fulfilled or expired now: their profiles are gone."""
    return Post.objects.filter(visibility=Post.Visibility.PUBLIC).exclude(state=Post.State.OPEN)


def replies_visible_to(user: AnyUser | None, post: Post) -> QuerySet[Reply]:
    """Every reply for those who manage the post; a replier's own; nothing for anyone else."""
    replies = Reply.objects.filter(post=post).select_related("author__organisation")
    if can_manage_post(user, post):
        return replies.order_by("created_at", "id")
    person = person_of(user)
    if person is None:
        return Reply.objects.none()
    return replies.filter(author=person).order_by("created_at", "id")


def posts_with_unread_replies(user: AnyUser | None, *, limit: int = 5) -> list[Post]:
    """The reader's own posts with replies they have not read yet, newest reply first."""
    person = person_of(user)
    if person is None:
        return []
    return list(
        Post.objects.filter(poster=person, replies__read_at__isnull=True)
        .annotate(unread=Count("replies", filter=Q(replies__read_at__isnull=True)))
        .order_by("-updated_at", "-id")[:limit]
    )


def saved_searches_of(user: AnyUser | None) -> QuerySet[SavedSearch]:
    person = person_of(user)
    if person is None:
        return SavedSearch.objects.none()
    return (
        SavedSearch.objects.filter(person=person)
        .select_related("person")
        .prefetch_related(
            Prefetch("skills", queryset=by_name(Skill.objects.all())),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
    )


def posts_matching(search: SavedSearch, *, since: datetime) -> QuerySet[Post]:
    """Open posts created since `since` that meet every criterion of the saved search, as its
    person may read them (members read members-only posts too)."""
    posts = Post.objects.filter(state=Post.State.OPEN, created_at__gte=since).exclude(
        poster_id=search.person_id
    )
    if search.exchange:
        posts = posts.filter(exchange=search.exchange)
    if search.kind:
        posts = posts.filter(kind=search.kind)
    if search.country:
        posts = posts.filter(Q(country=search.country) | Q(scope=Post.Scope.GLOBAL))
    skill_ids = [skill.pk for skill in search.skills.all()]
    if skill_ids:
        posts = posts.filter(skills__in=skill_ids)
    tag_ids = [tag.pk for tag in search.tags.all()]
    if tag_ids:
        posts = posts.filter(tags__in=tag_ids)
    return posts.distinct()
