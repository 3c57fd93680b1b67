"""Every write of discussions: named verbs, keyword-only, atomic, audited (reads receipts and
follows are not audited: they are a person's own bookkeeping).

A new comment records, in its own transaction, one `Notice` per person to tell (mentioned
people who may read the thread, and its followers), and the outbox queues their email once it
commits (`discussions.emails`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AnyUser
from assemblies.models import AgendaItem
from audit.services import audit_record
from circles.models import Circle
from discussions import permissions
from discussions.mentions import people_mentioned
from discussions.models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Comment,
    CommentEdit,
    Follow,
    Notice,
    Reaction,
    ReadMark,
    Thread,
)
from discussions.search import refresh_search_vectors
from discussions.tasks import send_notices
from members.models import Person
from members.permissions import person_of
from patio import outbox
from policies.models import Policy
from polls.models import Poll
from polls.services import poll_create
from projects.models import Opportunity


class ThreadClosed(ValidationError):
    """The thread is closed: it takes no replies or edits (the API's 409)."""


def _person(actor: AnyUser) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only people of the network take part in discussions."))
    return person


def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {"body": _("At most %(count)d characters, please.") % {"count": BODY_MAX}}
        )
    return body


def _follow(thread: Thread, person: Person) -> None:
    """Follow, unless the person unfollowed this thread before (their choice stands)."""
    Follow.objects.bulk_create([Follow(thread=thread, person=person)], ignore_conflicts=True)


def _mark_read(thread: Thread, person: Person, comment_id: int) -> None:
    mark, _created = ReadMark.objects.get_or_create(thread=thread, person=person)
    if mark.last_read_comment_id < comment_id:
        ReadMark.objects.filter(pk=mark.pk, last_read_comment_id__lt=comment_id).update(
            last_read_comment_id=comment_id, read_at=timezone.now()
        )


def _notify(comment: Comment, thread: Thread) -> int:
    """Record who hears of this comment: those it mentions who may read the thread, then the
    thread's followers (the readers' rule is checked again when the email goes)."""
    author_id = comment.author_id
    mentioned = [
        person
        for person in people_mentioned(comment.body)
        if person.pk != author_id
        and person.user is not None
        and permissions.can_view_thread(person.user, thread)
    ]
    notices = [Notice(comment=comment, person=p, kind=Notice.Kind.MENTION) for p in mentioned]
    told = {p.pk for p in mentioned} | {author_id}
    if not comment.is_opening:
        followers = Follow.objects.filter(thread=thread, following=True).exclude(person_id__in=told)
        notices += [
            Notice(comment=comment, person_id=pk, kind=Notice.Kind.REPLY)
            for pk in followers.values_list("person_id", flat=True)
        ]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    if notices:
        outbox.enqueue(send_notices, comment.pk)
    return len(notices)


def _summary(thread: Thread) -> dict[str, Any]:
    subject = thread.subject
    return {
        "title": thread.title,
        "visibility": thread.visibility,
        "subject": f"{subject._meta.model_name}:{subject.pk}" if subject is not None else None,
    }


@transaction.atomic
def thread_start(
    *,
    actor: AnyUser,
    title: str,
    body: str,
    visibility: str = Thread.Visibility.NETWORK,
    circle: Circle | None = None,
    agenda_item: AgendaItem | None = None,
    policy: Policy | None = None,
    opportunity: Opportunity | None = None,
) -> Thread:
    """A person starts a thread in the network, in a circle, or about one agenda item, policy or
    opportunity, with its opening post; they follow it from then on."""
    person = _person(actor)
    subjects = [s for s in (circle, agenda_item, policy, opportunity) if s is not None]
    if len(subjects) > 1:
        raise ValidationError(_("A discussion is about one thing at most."))
    if not permissions.can_start_thread(actor, circle=circle):
        raise PermissionDenied(_("Only the circle's members start its discussions."))
    if visibility not in Thread.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read it.")})
    if visibility == Thread.Visibility.CIRCLE and circle is None:
        raise ValidationError(
            {"visibility": _("Only a discussion in a circle can be for its members only.")}
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the discussion a title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("At most %(count)d characters, please.") % {"count": TITLE_MAX}}
        )
    body = _body(body)
    now = timezone.now()
    thread = Thread(
        title=title,
        author=person,
        visibility=visibility,
        circle=circle,
        agenda_item=agenda_item,
        policy=policy,
        opportunity=opportunity,
        last_activity_at=now,
    )
    # The starter must read what the thread is about, and a public thread is only about
    # something visitors read too (else its page would show them what they may not see).
    from discussions.selectors import threads_visible_to

    thread.save()
    if not threads_visible_to(actor).filter(pk=thread.pk).exists():
        raise PermissionDenied
    public = visibility == Thread.Visibility.PUBLIC
    if public and subjects and not threads_visible_to(None).filter(pk=thread.pk).exists():
        raise ValidationError(
            {"visibility": _("Visitors cannot read what this is about: choose members.")}
        )
    opening = Comment.objects.create(thread=thread, is_opening=True, author=person, body=body)
    _follow(thread, person)
    _mark_read(thread, person, opening.pk)
    refresh_search_vectors([thread.pk])
    audit_record(actor=actor, action="discussion.start", target=thread, after=_summary(thread))
    _notify(opening, thread)
    return thread


@transaction.atomic
def thread_poll_add(*, actor: AnyUser, thread: Thread, **poll: Any) -> Poll:
    """The starter adds a poll to their thread, once: a poll of the thread's circle (or of the
    network), opened with `polls.services.poll_create` and the poll's own rules. `poll` takes
    that function's arguments but `circle`. A second add (a form sent twice) is refused."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.poll_id is not None:
        raise ValidationError(_("This discussion has a poll already."))
    if not permissions.can_add_poll(actor, thread):
        raise PermissionDenied
    created = poll_create(actor=actor, circle=thread.circle, **poll)
    thread.poll = created
    thread.last_activity_at = timezone.now()
    thread.save(update_fields=["poll", "last_activity_at", "updated_at"])
    audit_record(
        actor=actor, action="discussion.poll_add", target=thread, after={"poll": created.pk}
    )
    return created


@transaction.atomic
def comment_post(
    *, actor: AnyUser, thread: Thread, body: str, parent: Comment | None = None
) -> Comment:
    """Reply to the thread, or to one of its replies. Replies nest one level: answering a reply
    to a reply puts the answer beside it, under the same top-level reply (as Decidim and Loomio
    do), and answering the opening post is a top-level reply."""
    person = _person(actor)
    locked = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
    if locked.is_closed:
        raise ThreadClosed(_("This discussion is closed: it takes no more replies."), code="closed")
    if not permissions.can_reply(actor, locked):
        raise PermissionDenied
    if parent is not None:
        if parent.thread_id != locked.pk:
            raise ValidationError({"parent": _("That comment is in another discussion.")})
        if parent.is_opening:
            parent = None
        elif parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    comment = Comment.objects.create(thread=locked, parent=parent, author=person, body=_body(body))
    Thread.objects.filter(pk=locked.pk).update(
        reply_count=F("reply_count") + 1,
        last_activity_at=comment.created_at,
        updated_at=comment.created_at,
    )
    _follow(locked, person)
    _mark_read(locked, person, comment.pk)
    refresh_search_vectors([locked.pk])
    audit_record(
        actor=actor,
        action="discussion.reply",
        target=comment,
        after={"thread": locked.pk, "parent": parent.pk if parent else None},
    )
    _notify(comment, locked)
    return comment


@transaction.atomic
def comment_edit(*, actor: AnyUser, comment: Comment, body: str) -> Comment:
    """The author changes their words; the text it had is kept in its history."""
    person = _person(actor)
    locked = (
        Comment.objects.select_for_update(of=("self",)).select_related("thread").get(pk=comment.pk)
    )
    if locked.thread.is_closed:
        raise ThreadClosed(_("This discussion is closed: nothing in it changes."), code="closed")
    if not permissions.can_edit_comment(actor, locked):
        raise PermissionDenied(_("Only its author edits a comment, and not once it is hidden."))
    body = _body(body)
    if body == locked.body:
        return locked
    CommentEdit.objects.create(comment=locked, editor=person, previous_body=locked.body)
    locked.body, locked.edited_at = body, timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    refresh_search_vectors([locked.thread_id])
    audit_record(actor=actor, action="discussion.edit", target=locked, after={"edited": True})
    return locked


@transaction.atomic
def comment_hide(*, actor: AnyUser, comment: Comment, reason: str) -> Comment:
    """A moderator hides a comment, saying why; readers see that it was hidden, and why.
    (A network admin without a person of their own hides as "a moderator".)"""
    person = person_of(actor)
    if not permissions.can_moderate(actor, comment.thread):
        raise PermissionDenied(_("Only the circle's moderators hide comments."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is hidden.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(count)d characters, please.") % {"count": REASON_MAX}}
        )
    now = timezone.now()
    hidden = Comment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
        hidden_at=now, hidden_by=person, hidden_reason=reason
    )
    if hidden != 1:
        raise ValidationError(_("This comment is hidden already."), code="hidden")
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, person, reason
    refresh_search_vectors([comment.thread_id])
    audit_record(
        actor=actor,
        action="discussion.hide",
        target=comment,
        before={"hidden": False},
        after={"hidden": True, "reason": reason},
    )
    return comment


@transaction.atomic
def comment_show(*, actor: AnyUser, comment: Comment) -> Comment:
    """A moderator shows a hidden comment again."""
    if not permissions.can_moderate(actor, comment.thread):
        raise PermissionDenied
    reason = comment.hidden_reason
    shown = Comment.objects.filter(pk=comment.pk, hidden_at__isnull=False).update(
        hidden_at=None, hidden_by=None, hidden_reason=""
    )
    if shown != 1:
        raise ValidationError(_("This comment is not hidden."), code="shown")
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    refresh_search_vectors([comment.thread_id])
    audit_record(
        actor=actor,
        action="discussion.show",
        target=comment,
        before={"hidden": True, "reason": reason},
        after={"hidden": False},
    )
    return comment


def _set_closed(actor: AnyUser, thread: Thread, *, closed: bool) -> Thread:
    person = person_of(actor)
    if not permissions.can_moderate(actor, thread):
        raise PermissionDenied(_("Only the circle's moderators close discussions."))
    closed_at, closed_by = (timezone.now(), person) if closed else (None, None)
    moved = Thread.objects.filter(pk=thread.pk, closed_at__isnull=closed).update(
        closed_at=closed_at, closed_by=closed_by, updated_at=timezone.now()
    )
    if moved != 1:
        message = (
            _("This discussion is closed already.") if closed else _("This discussion is open.")
        )
        raise ThreadClosed(message, code="closed")
    thread.closed_at, thread.closed_by = closed_at, closed_by
    audit_record(
        actor=actor,
        action="discussion.close" if closed else "discussion.reopen",
        target=thread,
        before={"closed": not closed},
        after={"closed": closed},
    )
    return thread


@transaction.atomic
def thread_close(*, actor: AnyUser, thread: Thread) -> Thread:
    """A moderator closes a thread: it stays readable and takes no more replies."""
    return _set_closed(actor, thread, closed=True)


@transaction.atomic
def thread_reopen(*, actor: AnyUser, thread: Thread) -> Thread:
    return _set_closed(actor, thread, closed=False)


@transaction.atomic
def reaction_toggle(*, actor: AnyUser, comment: Comment, kind: str) -> bool:
    """Give this reaction, or take it back if given. Returns whether it is given now."""
    person = _person(actor)
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": _("Choose one of the reactions shown.")})
    if comment.is_hidden or not permissions.can_view_thread(actor, comment.thread):
        raise PermissionDenied
    deleted, _rows = Reaction.objects.filter(comment=comment, person=person, kind=kind).delete()
    if deleted:
        return False
    Reaction.objects.bulk_create(
        [Reaction(comment=comment, person=person, kind=kind)], ignore_conflicts=True
    )
    return True


@transaction.atomic
def follow_set(*, actor: AnyUser, thread: Thread, following: bool) -> Follow:
    """Follow a thread (emails for its new replies) or stop following it."""
    person = _person(actor)
    if not permissions.can_follow(actor, thread):
        raise PermissionDenied
    follow, created = Follow.objects.get_or_create(
        thread=thread, person=person, defaults={"following": following}
    )
    if not created and follow.following != following:
        follow.following = following
        follow.save(update_fields=["following"])
    return follow


def thread_mark_read(*, actor: AnyUser, thread: Thread) -> None:
    """The reader opened the thread: everything in it so far is read."""
    person = person_of(actor)
    if person is None:
        return
    newest = Comment.objects.filter(thread=thread).aggregate(newest=Max("id"))["newest"] or 0
    _mark_read(thread, person, newest)
