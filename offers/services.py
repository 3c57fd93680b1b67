"""Every write of offers and wants: named verbs, keyword-only, atomic, audited.

A post's state moves only here, each move one conditional UPDATE from the state it leaves, so
two people acting at once (the poster marking it fulfilled, the daily task expiring it) cannot
both win. Public posts follow their Murmurations profile into the index (`profiles_requested`,
in the write's transaction: a rollback leaves nothing to send)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AnyUser
from audit.services import audit_record
from members.models import Person, Skill
from members.permissions import person_of
from murmurations.services import profiles_requested
from offers import permissions
from offers.models import REPLY_MAX, TAGS_MAX, Post, Reply, SavedSearch, Tag
from offers.search import refresh_search_vectors
from offers.tasks import send_reply_email
from patio import outbox
from patio.dates import network_today

PROFILE_KIND = "offers"
POST_FIELDS = (
    "exchange",
    "kind",
    "title",
    "description",
    "scope",
    "country",
    "city",
    "starts_on",
    "ends_on",
    "visibility",
)
SEARCH_FIELDS = ("name", "exchange", "kind", "country", "frequency")


class PostClosed(ValidationError):
    """The post is not open (any more), or cannot be reopened: the API's 409."""


def _unknown(data: dict[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )


def tag_names(values: Iterable[str]) -> list[str]:
    """Tags as stored: lower-case slugs, each once, in the order given."""
    names = [slugify(str(value), allow_unicode=True)[:40] for value in values]
    return list(dict.fromkeys(name for name in names if name))


def _tags(values: Iterable[str]) -> list[Tag]:
    names = tag_names(values)
    if len(names) > TAGS_MAX:
        raise ValidationError({"tags": _("At most %(count)d tags, please.") % {"count": TAGS_MAX}})
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    found = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [found[name] for name in names]


def post_rules_check(post: Post, *, today: datetime.date) -> None:
    """The rules a post's fields keep together, as field errors (the constraints hold them too,
    in words nobody would understand). Forms call it to show them next to the fields."""
    errors: dict[str, str] = {}
    if post.scope in Post.PLACED and not post.country:
        errors["country"] = _("A local or regional post says which country it is in.")
    if post.scope == Post.Scope.GLOBAL:
        post.country, post.city = "", ""
    if post.ends_on < post.starts_on:
        errors["ends_on"] = _("The end date comes after the start date.")
    elif post.ends_on < today:
        errors["ends_on"] = _("The end date has passed already.")
    if errors:
        raise ValidationError(errors)


def _check(post: Post, *, today: datetime.date) -> None:
    post.full_clean(
        exclude=["poster", "organisation", "tags", "skills"], validate_constraints=False
    )
    post_rules_check(post, today=today)


def _follow_in_index(post_ids: list[int]) -> None:
    profiles_requested(kind=PROFILE_KIND, object_ids=post_ids)


def _summary(post: Post) -> dict[str, Any]:
    return {
        "exchange": post.exchange,
        "kind": post.kind,
        "title": post.title,
        "scope": post.scope,
        "country": str(post.country),
        "starts_on": post.starts_on.isoformat(),
        "ends_on": post.ends_on.isoformat(),
        "visibility": post.visibility,
        "state": post.state,
    }


@transaction.atomic
def post_create(
    *,
    actor: AnyUser,
    data: dict[str, Any],
    skills: Iterable[Skill] = (),
    tags: Iterable[str] = (),
    for_coop: bool = False,
) -> Post:
    """A person posts an offer or a want, for themselves or (a co-op admin) for their co-op."""
    if not permissions.can_post(actor):
        raise PermissionDenied(_("Only people of the network post offers and wants."))
    person = person_of(actor)
    assert person is not None  # can_post
    organisation = None
    if for_coop:
        if not permissions.can_post_for(actor, person.organisation):
            raise PermissionDenied(_("Only your co-op's admins post for the co-op."))
        organisation = person.organisation
    _unknown(data, POST_FIELDS)
    post = Post(**data, poster=person, organisation=organisation)
    _check(post, today=network_today())
    tag_rows = _tags(tags)
    post.save()
    post.skills.set(list(skills))
    post.tags.set(tag_rows)
    refresh_search_vectors([post.pk])
    audit_record(actor=actor, action="offer.post", target=post, after=_summary(post))
    _follow_in_index([post.pk])
    return post


@transaction.atomic
def post_update(
    *,
    actor: AnyUser,
    post: Post,
    data: dict[str, Any],
    skills: Iterable[Skill] | None = None,
    tags: Iterable[str] | None = None,
) -> Post:
    """Change an open post: its poster, its co-op's admins or a network admin."""
    if not permissions.can_manage_post(actor, post):
        raise PermissionDenied
    _unknown(data, POST_FIELDS)
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.state != Post.State.OPEN:
        raise PostClosed(_("Only an open post can be changed."), code="closed")
    before = _summary(locked)
    changed = [name for name, value in data.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, data[name])
    _check(locked, today=network_today())
    if locked.scope == Post.Scope.GLOBAL:
        changed += ["country", "city"]
    if changed:
        locked.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
    if skills is not None:
        locked.skills.set(list(skills))
    if tags is not None:
        locked.tags.set(_tags(tags))
    refresh_search_vectors([locked.pk])
    audit_record(
        actor=actor, action="offer.update", target=locked, before=before, after=_summary(locked)
    )
    _follow_in_index([locked.pk])
    return locked


def _move(post: Post, *, actor: AnyUser | None, action: str, **where: Any) -> None:
    now = timezone.now()
    target = Post.State.OPEN if action == "offer.reopen" else Post.State.FULFILLED
    moved = Post.objects.filter(pk=post.pk, **where).update(
        state=target, closed_at=None if target == Post.State.OPEN else now, updated_at=now
    )
    if moved != 1:
        current = Post.objects.get(pk=post.pk)
        if action == "offer.reopen" and current.state == Post.State.EXPIRED:
            message = _("This post expired: its end date has passed, so it cannot be reopened.")
        elif action == "offer.reopen" and current.state == Post.State.FULFILLED:
            message = _("Its end date has passed, so it cannot be reopened.")
        else:
            message = _("This post is “%(state)s” already.") % {
                "state": current.get_state_display()
            }
        raise PostClosed(message, code="closed")
    before = post.state
    post.state, post.closed_at, post.updated_at = target, None if target == "open" else now, now
    audit_record(
        actor=actor, action=action, target=post, before={"state": before}, after={"state": target}
    )
    _follow_in_index([post.pk])


@transaction.atomic
def post_fulfil(*, actor: AnyUser, post: Post) -> Post:
    """The poster (or whoever manages the post) says it found what it was for."""
    if not permissions.can_manage_post(actor, post):
        raise PermissionDenied
    _move(post, actor=actor, action="offer.fulfil", state=Post.State.OPEN)
    return post


@transaction.atomic
def post_reopen(*, actor: AnyUser, post: Post) -> Post:
    """A fulfilled post opens again, while its end date has not passed."""
    if not permissions.can_manage_post(actor, post):
        raise PermissionDenied
    _move(
        post,
        actor=actor,
        action="offer.reopen",
        state=Post.State.FULFILLED,
        ends_on__gte=network_today(),
    )
    return post


@transaction.atomic
def posts_expire(*, today: datetime.date | None = None) -> int:
    """Close every open post whose end date has passed (the daily task). Running it twice
    closes nothing twice: the UPDATE moves only posts still open. Returns how many it closed."""
    today = today or network_today()
    now = timezone.now()
    due = list(
        Post.objects.filter(state=Post.State.OPEN, ends_on__lt=today)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    Post.objects.filter(pk__in=due, state=Post.State.OPEN).update(
        state=Post.State.EXPIRED, closed_at=now, updated_at=now
    )
    for post in Post.objects.filter(pk__in=due):
        audit_record(
            actor=None,
            action="offer.expire",
            target=post,
            before={"state": Post.State.OPEN},
            after={"state": Post.State.EXPIRED},
        )
    _follow_in_index(due)
    return len(due)


# Replies -------------------------------------------------------------------------------------
@transaction.atomic
def reply_create(*, actor: AnyUser, post: Post, body: str) -> Reply:
    """A member answers a post; the poster is emailed once the reply is saved (after commit)."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only people of the network reply to offers and wants."))
    locked = (
        Post.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=post.pk)
    )
    if locked.state != Post.State.OPEN:
        raise PostClosed(_("This post is closed: it takes no more replies."), code="closed")
    if not permissions.can_reply(actor, locked):
        raise PermissionDenied(_("You cannot reply to your own post."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your reply.")})
    if len(body) > REPLY_MAX:
        raise ValidationError(
            {"body": _("At most %(count)d characters, please.") % {"count": REPLY_MAX}}
        )
    reply = Reply.objects.create(post=locked, author=person, body=body)
    Post.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, action="offer.reply", target=reply, after={"post": locked.pk})
    outbox.enqueue(send_reply_email, reply.pk)
    return reply


def replies_mark_read(*, actor: AnyUser, post: Post) -> int:
    """The poster opened their post: its replies are read (no audit: a read receipt)."""
    person = person_of(actor)
    if person is None or post.poster_id != person.pk:
        return 0
    return Reply.objects.filter(post=post, read_at__isnull=True).update(read_at=timezone.now())


# Saved searches ------------------------------------------------------------------------------
@transaction.atomic
def saved_search_create(
    *,
    actor: AnyUser,
    data: dict[str, Any],
    skills: Iterable[Skill] = (),
    tags: Iterable[str] = (),
) -> SavedSearch:
    """Save a search; its digest lists the matching posts posted from now on."""
    person: Person | None = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only people of the network save searches."))
    _unknown(data, SEARCH_FIELDS)
    search = SavedSearch(**data, person=person)
    if not search.name:
        search.name = _("My search")
    search.full_clean(exclude=["person", "skills", "tags"])
    tag_rows = _tags(tags)
    search.save()
    search.skills.set(list(skills))
    search.tags.set(tag_rows)
    audit_record(
        actor=actor,
        action="offer.search_save",
        target=search,
        after={"name": search.name, "frequency": search.frequency},
    )
    return search


def _search_summary(search: SavedSearch) -> dict[str, Any]:
    return {
        "name": search.name,
        "exchange": search.exchange,
        "kind": search.kind,
        "country": str(search.country),
        "frequency": search.frequency,
        "skills": sorted(skill.slug for skill in search.skills.all()),
        "tags": sorted(tag.name for tag in search.tags.all()),
    }


@transaction.atomic
def saved_search_update(
    *,
    actor: AnyUser,
    search: SavedSearch,
    data: dict[str, Any],
    skills: Iterable[Skill] | None = None,
    tags: Iterable[str] | None = None,
) -> SavedSearch:
    """Change what a saved search looks for, or how often its digest comes: its owner only.
    Posts already sent stay sent; the next digest matches the new criteria."""
    person = person_of(actor)
    if person is None or search.person_id != person.pk:
        raise PermissionDenied
    _unknown(data, SEARCH_FIELDS)
    locked = SavedSearch.objects.select_for_update().get(pk=search.pk)
    before = _search_summary(locked)
    changed = [name for name, value in data.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, data[name])
    if not locked.name:
        locked.name = _("My search")
        changed.append("name")
    locked.full_clean(exclude=["person", "skills", "tags"])
    tag_rows = _tags(tags) if tags is not None else None
    if skills is not None:
        locked.skills.set(list(skills))
    if tag_rows is not None:
        locked.tags.set(tag_rows)
    after = _search_summary(locked)
    if after != before:
        # Also when only skills or tags changed: the API shows them, so updated_at moves.
        locked.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
        audit_record(
            actor=actor, action="offer.search_update", target=locked, before=before, after=after
        )
    return locked


@transaction.atomic
def saved_search_delete(*, actor: AnyUser, search: SavedSearch) -> None:
    person = person_of(actor)
    if person is None or search.person_id != person.pk:
        raise PermissionDenied
    audit_record(
        actor=actor, action="offer.search_delete", target=search, before={"name": search.name}
    )
    search.delete()
