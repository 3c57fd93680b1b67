"""Pages of discussions: the list (search, unread counts), a thread with its replies, starting
one (in the network, a circle, or about a policy, an opportunity or an agenda item), replying,
editing with history, reactions (htmx, or a plain form), following, and moderation. Each reads
through `discussions.selectors`, asks `discussions.permissions` and writes through
`discussions.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assemblies.models import AgendaItem
from assemblies.permissions import can_view_assemblies
from circles.selectors import circle_detail
from discussions import permissions, selectors, services
from discussions.filters import ThreadFilter
from discussions.forms import CommentForm, EditForm, HideForm, ThreadForm, ThreadPollForm
from discussions.mentions import handle_of
from discussions.models import Comment, Thread
from members.permissions import person_of
from patio.forms import add_service_errors
from patio.http import PatioRequest
from policies.selectors import visible_policies
from polls.permissions import can_view_polls
from polls.selectors import poll_detail, with_counts
from projects.selectors.opportunities import opportunities_visible_to

PAGE_SIZE = 20


def _thread_for(user, pk: int) -> Thread:
    """The one way views look a thread up: what the reader may not read is a 404."""
    return get_object_or_404(selectors.thread_detail(user), pk=pk)


def _comment_for(user, pk: int) -> Comment:
    return get_object_or_404(selectors.comment_detail(user), pk=pk)


def thread_list(request: PatioRequest) -> HttpResponse:
    filterset = ThreadFilter(request.GET, queryset=selectors.thread_list(request.user))
    threads = filterset.qs if filterset.is_valid() else Thread.objects.none()
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_start": permissions.can_start_thread(request.user),
    }
    template = "discussions/includes/results.html" if request.htmx else "discussions/list.html"
    return render(request, template, context)


def _subject(request: HttpRequest) -> dict[str, Any]:
    """What a new thread is about, from the query (or the form's hidden fields), as the reader
    may see it: an unknown or hidden subject is a 404."""
    data = request.POST if request.method == "POST" else request.GET
    user = request.user
    if slug := data.get("circle"):
        return {"circle": get_object_or_404(circle_detail(user), slug=slug)}
    if slug := data.get("policy"):
        return {"policy": get_object_or_404(visible_policies(user), slug=slug)}
    if pk := data.get("opportunity"):
        if not str(pk).isdigit():
            raise Http404
        return {"opportunity": get_object_or_404(opportunities_visible_to(user), pk=pk)}
    if pk := data.get("agenda_item"):
        if not str(pk).isdigit() or not can_view_assemblies(user):
            raise Http404
        return {
            "agenda_item": get_object_or_404(AgendaItem.objects.select_related("assembly"), pk=pk)
        }
    return {}


@login_required
def new(request: HttpRequest) -> HttpResponse:
    subject = _subject(request)
    circle = subject.get("circle")
    if not permissions.can_start_thread(request.user, circle=circle):
        raise PermissionDenied
    form = ThreadForm(request.POST or None, in_circle=circle is not None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        with_poll = fields.pop("with_poll", False)
        try:
            thread = services.thread_start(actor=request.user, **fields, **subject)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your discussion is open. You follow it."))
            if with_poll and permissions.can_add_poll(request.user, thread):
                return redirect("discussions:poll_new", thread.pk)
            return redirect(thread)
    name, value = next(iter(subject.items()), (None, None))
    hidden = getattr(value, "slug", None) or getattr(value, "pk", None)
    context = {"form": form, "subject": value, "subject_field": name, "subject_value": hidden}
    return render(request, "discussions/new.html", context)


def _thread_page(request: HttpRequest, thread: Thread, *, form=None, status=200) -> HttpResponse:
    person = person_of(request.user)
    comments = list(selectors.comments_of(thread))
    for comment in comments:
        comment.reaction_counts = selectors.reaction_counts(comment, person)  # type: ignore[attr-defined]
        comment.handle = handle_of(comment.author)  # type: ignore[attr-defined]
    opening, entries = selectors.arranged(comments)
    can_moderate = permissions.can_moderate(request.user, thread)
    poll = None
    if thread.poll_id is not None and can_view_polls(request.user):
        poll = poll_detail(request.user).filter(pk=thread.poll_id).first()
        with_counts([poll] if poll else [])
    context = {
        "thread": thread,
        "poll": poll,
        "can_add_poll": permissions.can_add_poll(request.user, thread),
        "opening": opening,
        "entries": entries,
        "person": person,
        "can_reply": permissions.can_reply(request.user, thread),
        "can_moderate": can_moderate,
        "can_follow": permissions.can_follow(request.user, thread),
        "following": selectors.is_following(request.user, thread),
        "form": form or CommentForm(),
        "hide_form": HideForm() if can_moderate else None,
    }
    return render(request, "discussions/thread.html", context, status=status)


def thread(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_for(request.user, pk)
    response = _thread_page(request, found)
    services.thread_mark_read(actor=request.user, thread=found)
    return response


@login_required
def poll_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The starter adds a poll to their discussion."""
    found = _thread_for(request.user, pk)
    if found.poll_id is not None:  # added already (this form sent twice): show it
        return redirect(found)
    if not permissions.can_add_poll(request.user, found):
        raise PermissionDenied
    form = ThreadPollForm(request.POST or None, initial={"title": found.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_poll_add(actor=request.user, thread=found, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your poll is open in the discussion."))
            return redirect(found)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "discussions/poll_new.html", {"form": form, "thread": found}, status=status
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], thread=found).first()
            if parent is None:
                raise Http404
        try:
            comment = services.comment_post(
                actor=request.user, thread=found, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(comment.get_absolute_url())
    return _thread_page(request, found, form=form)


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_for(request.user, pk)
    following = request.POST.get("following") == "1"
    services.follow_set(actor=request.user, thread=found, following=following)
    if following:
        messages.success(request, _("You follow this discussion: new replies reach you by email."))
    else:
        messages.success(request, _("You no longer follow this discussion."))
    return redirect(found)


def _moderate(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    found = _thread_for(request.user, pk)
    if not permissions.can_moderate(request.user, found):
        raise PermissionDenied
    try:
        service(actor=request.user, thread=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(found)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(
        request, pk, services.thread_close, _("Closed: the discussion takes no more replies.")
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, pk, services.thread_reopen, _("Open again for replies."))


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your changes are saved; the earlier text is in its history.")
            )
            return redirect(comment.get_absolute_url())
    return render(request, "discussions/edit.html", {"form": form, "comment": comment})


def history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk)
    if not permissions.can_view_history(request.user, comment):
        raise PermissionDenied
    context = {"comment": comment, "edits": list(selectors.edits_of(comment))}
    return render(request, "discussions/history.html", context)


@login_required
@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk)
    if not permissions.can_moderate(request.user, comment.thread):
        raise PermissionDenied
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The comment is hidden; readers see why."))
    else:
        messages.error(request, _("Say why it is hidden."))
    return redirect(comment.get_absolute_url())


@login_required
@require_POST
def show(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk)
    if not permissions.can_moderate(request.user, comment.thread):
        raise PermissionDenied
    try:
        services.comment_show(actor=request.user, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(comment.get_absolute_url())


@login_required
@require_POST
def react(request: PatioRequest, pk: int) -> HttpResponse:
    """Toggle one reaction: htmx swaps the comment's reactions, a plain form goes back."""
    comment = _comment_for(request.user, pk)
    try:
        services.reaction_toggle(
            actor=request.user, comment=comment, kind=request.POST.get("kind", "")
        )
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
    if request.htmx:
        fresh = selectors.comments_of(comment.thread).get(pk=comment.pk)
        fresh.reaction_counts = selectors.reaction_counts(fresh, person_of(request.user))  # type: ignore[attr-defined]
        context = {"comment": fresh, "person": person_of(request.user), "thread": fresh.thread}
        return render(request, "discussions/includes/reactions.html", context)
    return redirect(comment.get_absolute_url())
